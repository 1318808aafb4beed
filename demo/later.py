"""Step 4 of the demo: the month-end work (month close with awards and statements, R-M1…R-M9; the
monthly report, R-T1/R-T2) and the resident / team / contract work (§5)."""
from datetime import timedelta

from django.utils import timezone




def _prev_month(day):
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def working_day_after(demo, day, n):
    """The n-th working day after `day` (n ≥ 1) — only to place demo events."""
    while n > 0:
        day += timedelta(days=1)
        if demo.is_working_day(day):
            n -= 1
    return day


def plan_month_ends(demo) -> None:
    """After the resident documents are in (the 6th working day), the manager closes the previous month:
    awards compiled and approved, then the monthly report compiled and approved. The current month
    stays open. Early in a month the close happens a couple of hours before `now`."""
    first_this = demo.today.replace(day=1)
    for month_start in (_prev_month(first_this), first_this):
        first = demo.first_working_day(month_start.year, month_start.month)
        when = demo.at(working_day_after(demo, first, 5), 15, 0)
        if when > demo.now and demo.at(first, 9, 0) < demo.now - timedelta(hours=3):
            when = demo.now - timedelta(hours=3)
        demo.plan(when, close_month, _prev_month(month_start))


def close_month(demo, when, month) -> None:
    from bonuses import services as bs

    bs.compile_month(month=month, by=demo.staff["manager"], now=when)
    demo.plan(when + timedelta(hours=18), approve_month, month)


def approve_month(demo, when, month) -> None:
    from bonuses import services as bs

    out = bs.approve_month(month=month, by=demo.staff["manager"], now=when)
    demo.count("month statements approved", len(out.approved))
    demo.plan(when + timedelta(hours=1), report_month, month)


def report_month(demo, when, month) -> None:
    from reports import services as rs

    rs.compile_month(month=month, now=when, by=demo.staff["manager"])
    demo.plan(when + timedelta(hours=3), approve_report, month)


def approve_report(demo, when, month) -> None:
    from reports import services as rs

    # The manager's own statement waits for another approver (R-M9: nobody approves their own), so the manager
    # approves the report having seen that one draft.
    rs.approve(month=month, by=demo.staff["manager"], now=when, drafts_confirmed=True)
    demo.count("monthly reports approved")




# ------------------------------------------------------------------ resident sites (R-R1…R-R4)
def plan_resident(demo) -> None:
    """Each resident site has its lead; every month the lead keeps the attendance sheet, the supervisor
    files the quality evaluation, and each resident technician's monthly report goes through the chain
    supervisor → manager → GM office (stamp) → client (signed link) → admin archive (R-R2). Last month
    one report was sent back once and now waits for the GM office's stamp."""
    from servicedesk.models import Staff

    residents = list(Staff.objects.filter(resident_site__isnull=False).select_related("resident_site").order_by("pk"))
    start = demo.today - timedelta(days=demo.history_days)
    demo.plan(demo.at(start, 8, 30), set_leads, [t.pk for t in residents])
    first_this = demo.today.replace(day=1)
    months = [_prev_month(_prev_month(first_this)), _prev_month(first_this)]
    for month in months:
        if month < start.replace(day=1):
            continue
        nxt = (month + timedelta(days=32)).replace(day=1)
        d1 = demo.first_working_day(nxt.year, nxt.month)
        for i, tech in enumerate(residents):
            last = month == months[-1]
            # last month the second site's quality evaluation never came in: overdue documents (R-R4)
            demo.plan(demo.at(d1, 9, 30 + i), resident_month, tech.pk, month,
                      "attendance" if not (last and i == 1) else "attendance only")
            demo.plan(demo.at(d1, 10, 30 + i), resident_month, tech.pk, month, "report")
            demo.plan(demo.at(working_day_after(demo, d1, 1), 10, i), resident_month, tech.pk, month, "supervisor")
            if last and i == 1:  # sent back once, corrected the same afternoon
                demo.plan(demo.at(working_day_after(demo, d1, 1), 10, 30), resident_month, tech.pk, month, "return")
                demo.plan(demo.at(working_day_after(demo, d1, 1), 15, 0), resident_month, tech.pk, month, "resubmit")
                demo.plan(demo.at(working_day_after(demo, d1, 1), 16, 0), resident_month, tech.pk, month, "supervisor")
            demo.plan(demo.at(working_day_after(demo, d1, 2), 14, i), resident_month, tech.pk, month, "manager")
            if last and i == 1:
                continue  # this one waits for the GM office's stamp
            demo.plan(demo.at(working_day_after(demo, d1, 3), 10, i), resident_month, tech.pk, month, "stamp")
            if not (last and i == 2):  # (a third resident would wait for the client)
                demo.plan(demo.at(working_day_after(demo, d1, 4), 11, i), resident_month, tech.pk, month, "rate")
                demo.plan(demo.at(working_day_after(demo, d1, 4), 16, i), resident_month, tech.pk, month, "archive")


def set_leads(demo, when, tech_ids) -> None:
    from dispatch.resident import services as rs
    from servicedesk.models import Staff

    for tech in Staff.objects.filter(pk__in=tech_ids).select_related("resident_site"):
        rs.set_site_lead(site=tech.resident_site, lead=tech, by=demo.staff["manager"])


def resident_month(demo, when, tech_id, month, step) -> None:
    from dispatch.resident import links
    from dispatch.resident import services as rs
    from dispatch.resident.choices import LinkPurpose
    from dispatch.resident.models import ResidentReport
    from servicedesk.models import Staff

    tech = Staff.objects.select_related("resident_site").get(pk=tech_id)
    site, s = tech.resident_site, demo.staff
    report = ResidentReport.objects.filter(technician=tech, month=month).first()
    if report is None and step not in ("attendance", "attendance only", "report"):
        return  # the report could not be started (e.g. its due date needs a calendar year not entered yet)
    if step in ("attendance", "attendance only"):
        sheet = rs.attendance_sheet(site=site, month=month, by=tech)
        days, d = [], month
        while d.month == month.month:
            if demo.is_working_day(d):
                days.append(d)
            d += timedelta(days=1)
        leave = days[len(days) // 2] if days else None
        marks = [{"technician": tech.pk, "day": d, "mark": "leave" if d == leave else "present"} for d in days]
        rs.mark_attendance(sheet=sheet, by=tech, marks=marks, now=when)
        rs.submit_attendance(sheet=sheet, by=tech, now=when + timedelta(minutes=5))
        if step == "attendance":
            rs.submit_quality_evaluation(site=site, month=month, by=s["supervisor"], now=when + timedelta(minutes=20),
                                         content="驻点人员服务规范,响应及时,机房整洁,客户反馈良好。")
    elif step == "report":
        report = rs.start_report(technician=tech, month=month, by=tech, now=when)
        rs.update_report(report=report, by=tech, now=when + timedelta(minutes=10),
                         work_done=f"{month:%Y年%m月}驻点服务:日常报修处理、打印机与办税终端维护、月度巡检。",
                         issues="部分办税终端老化,故障率上升。", suggestions="建议明年更换 5 台办税终端。")
        rs.submit_report(report=report, by=tech, now=when + timedelta(minutes=15))
    elif step == "supervisor":
        rs.approve_report(report=report, by=s["supervisor"], now=when)
    elif step == "return":
        rs.return_report(report=report, by=s["manager"] if report.status == "supervisor_approved" else s["supervisor"],
                         reason="请补充本月巡检的设备数量。", now=when)
    elif step == "resubmit":
        rs.update_report(report=report, by=tech, now=when, work_done=report.work_done + "本月巡检设备 42 台。",
                         issues=report.issues, suggestions=report.suggestions)
        rs.submit_report(report=report, by=tech, now=when + timedelta(minutes=2))
    elif step == "manager":
        rs.approve_report(report=report, by=s["manager"], now=when)
    elif step == "stamp":
        rs.approve_report(report=report, by=s["gm"], now=when)
    elif step == "rate":
        link = links.live_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk)
        rs.rate_report(token=link.token, rating="very_good" if tech_id % 2 else "good", now=when,
                       comment="驻点工程师工作认真负责。", client_name=site.contact_name)
    elif step == "archive":
        rs.archive_report(report=report, by=s["admin"], now=when)
    demo.count("resident report steps")


# ------------------------------------------------------------------ a team project (R-R5, R-M5…R-M8)
def plan_team_project(demo) -> None:
    """Last month: a construction project (software roll-out at a key account, 5 people over 3 working
    days) with daily reports, work records, the summary, the client's survey and the bonus split;
    this month: a maintenance project still in progress."""
    first_this = demo.today.replace(day=1)
    last_month = _prev_month(first_this)
    start = working_day_after(demo, demo.first_working_day(last_month.year, last_month.month), 7)
    demo.plan(demo.at(start - timedelta(days=3), 10, 0), project_step, "create", start)
    # R-R5/R-M5: a team service without a contract amount (12 person-days), paid by R-M5 only (SPEC decision).
    team_start = working_day_after(demo, demo.first_working_day(last_month.year, last_month.month), 12)
    demo.plan(demo.at(team_start - timedelta(days=2), 9, 30), project_step, "create_team", team_start)
    this_start = working_day_after(demo, demo.first_working_day(first_this.year, first_this.month), 2)
    demo.plan(demo.at(this_start - timedelta(days=1), 11, 0), project_step, "create_current", this_start)


def project_step(demo, when, step, start, project_id=None, day=None) -> None:
    from dispatch.projects import services as ps
    from dispatch.projects.models import Project
    from dispatch.resident import links
    from dispatch.resident.choices import LinkPurpose

    s = demo.staff
    members = [(s["tech2"], "服务器端软件部署"), (s["tech3"], "客户端安装"), (s["tech4"], "客户端安装"), (s["tech5"], "数据迁移与测试")]
    client = demo.clients[0]
    site = next(x for x in demo.sites if x.client_id == client.pk and not x.resident)
    if step == "create_team":
        end = working_day_after(demo, start, 2)
        team_members = [(s["tech6"], "网络布线"), (s["tech3"], "终端迁移"), (s["tech4"], "终端迁移")]
        team_client = demo.clients[1]
        project = ps.create_project(
            by=s["manager"], now=when, name="南山区税务局办公区终端搬迁", client=team_client,
            site=next(x for x in demo.sites if x.client_id == team_client.pk and not x.resident), kind="team",
            contract_amount=None, manager=s["tech1"], members=[{"staff": t.pk, "task": task} for t, task in team_members],
            planned_start=start, planned_end=end, person_days=12, documents_due=end + timedelta(days=5),
        )
        demo.count("team projects")
        d = start
        while d <= end:
            demo.plan(demo.at(d, 18, 30), project_step, "day", start, project.pk, d)
            d = working_day_after(demo, d, 1)
        demo.plan(demo.at(working_day_after(demo, end, 1), 10, 30), project_step, "summary", start, project.pk)
        demo.plan(demo.at(working_day_after(demo, end, 2), 15, 30), project_step, "survey", start, project.pk)
        demo.plan(demo.at(working_day_after(demo, end, 3), 11, 30), project_step, "complete", start, project.pk)
        return
    if step in ("create", "create_current"):
        current = step == "create_current"
        end = working_day_after(demo, start, 2)
        project = ps.create_project(
            by=s["manager"], now=when, name="办税服务厅终端软件升级" if not current else "第二人民医院机房设备年度维保",
            client=client if not current else demo.clients[3],
            site=site if not current else next(x for x in demo.sites if x.client_id == demo.clients[3].pk),
            kind="construction" if not current else "maintenance", contract_amount="45000.00" if not current else "68000.00",
            manager=s["tech1"], members=[{"staff": t.pk, "task": task} for t, task in members], planned_start=start, planned_end=end, person_days=15,
            documents_due=end + timedelta(days=5),
        )
        demo.count("team projects")
        d = start
        while d <= end:
            demo.plan(demo.at(d, 18, 0), project_step, "day", start, project.pk, d)
            d = working_day_after(demo, d, 1)
        if not current:
            demo.plan(demo.at(working_day_after(demo, end, 1), 10, 0), project_step, "summary", start, project.pk)
            demo.plan(demo.at(working_day_after(demo, end, 2), 15, 0), project_step, "survey", start, project.pk)
            demo.plan(demo.at(working_day_after(demo, end, 3), 11, 0), project_step, "complete", start, project.pk)
        return
    project = Project.objects.get(pk=project_id)
    if step == "day":
        ps.add_daily_report(project=project, by=s["tech1"], on=day, now=when,
                            text=f"{day:%m月%d日}:完成 {12 + day.day % 5} 台终端安装,无遗留问题。")
        for tech in [m.staff for m in project.members.select_related("staff")]:
            ps.add_work_record(project=project, by=tech, on=day, serials=f"SN{day:%m%d}{tech.pk:02d}01-SN{day:%m%d}{tech.pk:02d}04",
                               quantity=4, note="安装并测试", now=when)
    elif step == "summary":
        ps.send_summary(project=project, by=s["tech1"], now=when,
                        text="项目按计划完成:共安装调试终端 60 台,数据迁移完成,已对窗口人员进行培训。")
    elif step == "survey":
        link = links.live_link(purpose=LinkPurpose.PROJECT_SURVEY, object_id=project.pk)
        ps.submit_survey(token=link.token, satisfaction="very_satisfied", needs=project.name, staffing_timing="人员充足,按时完成",
                         work_done="安装、迁移、培训", summary="非常满意", client_name=project.site.contact_name, now=when)
    elif step == "complete":
        ps.complete_project(project=project, by=s["manager"], contract_fulfilled=None if project.kind == "team" else True, client_satisfied=None,
                            documents_complete_on=timezone.localtime(when).date() - timedelta(days=1), now=when)
        demo.count("team projects completed")


# ------------------------------------------------------------------ a maintenance contract (R-R6)
def plan_contract(demo) -> None:
    """A monthly inspection contract of a key account, from the start of the history; the beat creates
    each inspection's work order ahead of time and the technicians carry it out."""
    start = demo.today - timedelta(days=demo.history_days)
    demo.plan(demo.at(start, 8, 0), contract_step, "create")
    day = start
    while day <= demo.today:
        demo.plan(demo.at(day, 7, 0), contract_step, "generate")
        day += timedelta(days=1)


def contract_step(demo, when, step) -> None:
    from dispatch.contracts import services as cs
    from dispatch.contracts.models import Inspection, MaintenanceContract

    from .fieldwork import Job, dispatch, pick_technician

    if step == "create":
        client = demo.clients[6]
        site = next(x for x in demo.sites if x.client_id == client.pk)
        start = timezone.localtime(when).date()
        cs.create_contract(
            by=demo.staff["manager"], now=when, number=f"WB-{start:%Y}-{client.pk:03d}", client=client, site=site,
            starts_on=start + timedelta(days=7), ends_on=start + timedelta(days=372), frequency="1",
            equipment=[e for e in demo.equipment if e.client_id == client.pk], amount="36000.00", technician=demo.staff["tech6"],
        )
        demo.count("maintenance contracts")
        return
    if not MaintenanceContract.objects.exists():
        return
    if cs.generate_inspections(now=when):
        for ins in Inspection.objects.filter(created_at=when).select_related("work_order__site", "contract"):
            slot_day = ins.slot
            while not demo.is_working_day(slot_day):
                slot_day += timedelta(days=1)
            wo = ins.work_order
            eq = next(e for e in demo.equipment if e.site_id == wo.site_id)
            job = Job("mobile", demo.at(slot_day, 8, 30), eq, "maintenance", None, demo.staff["coord1"],
                      lines=[{"kind": "consumable", "item": "other", "cost": "100", "installed": True, "description": "硒鼓"}])
            job.wo, job.minutes = wo, 90
            job.tech = pick_technician(demo, slot_day, area=wo.site.area)
            demo.plan(demo.at(slot_day, 8, 40), dispatch, job)
            demo.count("inspections")
