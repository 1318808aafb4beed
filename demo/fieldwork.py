"""Step 2 of the demo: the field work of three months, through the dispatch services (R-W1…R-W14).

Every order walks its own lifecycle on the agenda: intake → dispatch → accept → contact → depart →
arrive → close-out with priced lines (→ callback, → sale) for on-site visits; received → diagnosing
→ (awaiting consent) → repairing → testing → ready for return → returned for carry-in repairs
(R-W3: no on-site steps); resident requests go only to the site's resident technician (R-W5).
Some technicians set off late (the scan finds the breach, R-W7), one refuses (R-W9), one hands over
to the team lead (R-W11), one order is cancelled, one service form is found irregular (R-W10).
"""
from dataclasses import dataclass, field
from datetime import timedelta

from servicedesk import services as core
from servicedesk.choices import Channel, ServiceContent, ServiceMode

FAULTS = {
    ServiceContent.REPAIR: ["打印机卡纸,无法正常出纸", "电脑开机蓝屏", "显示器黑屏无信号", "服务器风扇报警", "主板电容鼓包,无法开机", "网络打印机无法连接"],
    ServiceContent.SOFTWARE: ["系统运行缓慢,需要重装系统", "税控软件安装", "Office 无法激活", "办公软件打不开文档"],
    ServiceContent.MAINTENANCE: ["季度例行保养", "打印机硒鼓需要更换", "机房设备除尘保养"],
    ServiceContent.INSTALL: ["新购电脑安装调试", "新增网络打印机安装", "办税厅叫号机安装"],
    ServiceContent.COMMISSIONING: ["新服务器开机调试", "新到扫描仪调试"],
}
WORK = {
    ServiceContent.REPAIR: ("更换故障部件并测试正常", "部件老化损坏", "定期清洁,避免长时间高温运行"),
    ServiceContent.SOFTWARE: ("重装系统并安装常用软件", "系统文件损坏", "不要安装来历不明的软件,定期备份"),
    ServiceContent.MAINTENANCE: ("清洁保养,更换耗材,测试打印正常", "耗材到期", "按季度保养"),
    ServiceContent.INSTALL: ("安装调试完成,客户验收", "新设备安装", "按说明书使用,有问题随时报修"),
    ServiceContent.COMMISSIONING: ("开机调试完成,运行正常", "新设备调试", "首周注意观察运行情况"),
}
REFUSE_REASONS = ["正在处理另一家客户的服务器故障,走不开", "不想去,路太远"]


@dataclass
class Job:
    """One demo work order and what is going to happen to it."""

    kind: str  # mobile | resident | carry_in
    created: object
    equipment: object
    content: str
    tech: object
    coordinator: object
    lines: list = field(default_factory=list)
    late_depart: bool = False  # calls the client late (R-W6 breach)
    refuse: bool = False
    refuse_unjustified: bool = False
    handover: bool = False
    cancel: bool = False
    irregular: bool = False
    unassigned: bool = False
    minutes: int = 60
    carry_in_path: str = "quick"
    chase: bool = False
    wo: object = None
    dispatched_at: object = None


def _lines_for(rnd, content) -> list[dict]:
    if content == ServiceContent.REPAIR:
        pick = rnd.random()
        if pick < 0.35:
            return [{"kind": "part", "item": "other", "cost": rnd.choice(["120", "200", "350", "480"]), "description": rnd.choice(["电源", "内存条", "定影组件", "硬盘"])}]
        if pick < 0.5:
            return [{"kind": "repair", "item": "lcd_monitor"}]
        if pick < 0.6:
            return [{"kind": "repair", "item": "motherboard"}]
        if pick < 0.75:
            return [{"kind": "repair", "item": "other", "cost": "80.50", "description": "电源板维修"}]
        return []
    if content == ServiceContent.SOFTWARE:
        return [{"kind": "software", "item": rnd.choice(["os_install", "office_tools"])}]
    if content == ServiceContent.MAINTENANCE:
        return [{"kind": "consumable", "item": "other", "cost": "100", "installed": True, "description": "硒鼓"}] if rnd.random() < 0.6 else []
    return []


def plan_field_work(demo) -> None:
    """Put three months of intake on the agenda (each order then schedules its own next step)."""
    from servicedesk.models import Staff

    rnd, s = demo.rnd, demo.staff
    mobile = [s[f"tech{i}"] for i in range(1, 7)]
    residents = {t.resident_site_id: t for t in Staff.objects.filter(resident_site__isnull=False)}
    coordinators = [s["coord1"], s["coord2"]]
    mobile_eq = [e for e in demo.equipment if not e.site.resident]
    resident_eq = [e for e in demo.equipment if e.site.resident]
    load = demo.load
    start = demo.today - timedelta(days=demo.history_days)
    n_refusal = n_handover = n_cancel = n_irregular = n_carry = 0
    recent_repairs = []
    day = start
    while day <= demo.today:
        if not demo.is_working_day(day):
            day += timedelta(days=1)
            continue
        hours = rnd.sample([9, 10, 11, 13, 14, 15, 16], 6)
        n_mobile = rnd.choice([2, 3, 3, 4])
        for slot in range(n_mobile):
            created = demo.at(day, hours[slot], rnd.choice([0, 5, 20, 35, 50]))
            if recent_repairs and rnd.random() < 0.06:
                eq, content = rnd.choice(recent_repairs)  # the same fault again: a second service (R-W14)
            else:
                eq, content = rnd.choice(mobile_eq), rnd.choice(ServiceContent.values)
            tech = pick_technician(demo, day, area=eq.site.area)
            job = Job("mobile", created, eq, content, tech, rnd.choice(coordinators), lines=_lines_for(rnd, content))
            job.minutes = 150 if rnd.random() < 0.05 else rnd.randint(35, 100)  # some run over 2 h (R-W10 flag)
            job.late_depart = rnd.random() < 0.08
            r = rnd.random()
            if r < 0.04 and n_refusal < 3:
                job.refuse, n_refusal = True, n_refusal + 1
                job.refuse_unjustified = n_refusal == 2
            elif r < 0.07 and n_handover < 2 and tech.pk != s["tech1"].pk:
                job.handover, n_handover = True, n_handover + 1
            elif r < 0.09 and n_cancel < 3:
                job.cancel, n_cancel = True, n_cancel + 1
            elif r < 0.11 and n_irregular < 1 and day < demo.today - timedelta(days=10):
                job.irregular, n_irregular = True, n_irregular + 1
            if content == ServiceContent.REPAIR:
                recent_repairs = (recent_repairs + [(eq, content)])[-8:]
            demo.plan(created, intake, job)
        if rnd.random() < 0.5:
            eq = rnd.choice(resident_eq)
            tech = residents.get(eq.site_id)
            if tech is not None:
                created = demo.at(day, hours[n_mobile], rnd.choice([10, 30, 45]))
                content = rnd.choice([ServiceContent.REPAIR, ServiceContent.SOFTWARE, ServiceContent.MAINTENANCE])
                job = Job("resident", created, eq, content, tech, rnd.choice(coordinators), lines=_lines_for(rnd, content))
                job.minutes = rnd.randint(20, 70)
                demo.plan(created, intake, job)
        if rnd.random() < 0.2:
            eq = rnd.choice(mobile_eq)
            created = demo.at(day, 9, rnd.choice([15, 40]))
            job = Job("carry_in", created, eq, ServiceContent.REPAIR, rnd.choice(mobile), rnd.choice(coordinators))
            job.carry_in_path = ["quick", "long", "declined", "long"][n_carry % 4]
            job.chase = n_carry == 5
            n_carry += 1
            demo.plan(created, intake, job)
        day += timedelta(days=1)
    # today's work in progress: each order stops at the step it has reached by `now`
    for minutes in (170, 130, 95, 70, 45, 25):
        created = demo.now - timedelta(minutes=minutes)
        eq = rnd.choice(mobile_eq)
        tech = pick_technician(demo, demo.today, area=eq.site.area)
        job = Job("mobile", created, eq, rnd.choice(ServiceContent.values), tech, rnd.choice(coordinators))
        job.lines = _lines_for(rnd, job.content)
        demo.plan(created, intake, job)
    for days, path in ((4, "long"), (2, "quick"), (1, "declined")):
        created = demo.now - timedelta(days=days, hours=1)
        job = Job("carry_in", created, rnd.choice(mobile_eq), ServiceContent.REPAIR, mobile[days], rnd.choice(coordinators))
        job.carry_in_path = path
        demo.plan(created, intake, job)
    # today's new reports, still on the board for the coordinator
    for minutes in (95, 40, 12):
        created = demo.now - timedelta(minutes=minutes)
        eq = rnd.choice(mobile_eq)
        job = Job("mobile", created, eq, rnd.choice(ServiceContent.values), None, rnd.choice(coordinators))
        job.unassigned = True
        demo.plan(created, intake, job)


def pick_technician(demo, day, *, area: str = "", exclude=()):
    """A mobile technician with room under the R-W8 daily limit, preferring the site's area."""
    mobile = [demo.staff[f"tech{i}"] for i in range(1, 7)]
    free = [t for t in mobile if demo.load.get((t.pk, day), 0) < 3 and t.pk not in exclude]
    tech = demo.rnd.choice([t for t in free if t.area == area] or free)
    demo.load[(tech.pk, day)] = demo.load.get((tech.pk, day), 0) + 1
    return tech


# ------------------------------------------------------------------ the steps of one order
def _m(minutes):
    return timedelta(minutes=minutes)


def intake(demo, when, job: Job) -> None:
    eq = job.equipment
    mode = ServiceMode.RESIDENT if job.kind == "resident" else ServiceMode.MOBILE
    channel = {"resident": Channel.RESIDENT_SITE, "carry_in": Channel.CARRY_IN}.get(job.kind, Channel.PHONE)
    job.wo = core.create_work_order(
        by=job.coordinator, now=when, client=eq.client, site=eq.site, equipment=eq,
        contact_name=eq.site.contact_name, contact_phone=eq.site.phone, content=job.content, channel=channel,
        service_mode=mode, description=demo.rnd.choice(FAULTS[job.content]),
        required_at=when + (_m(180) if job.kind == "mobile" else _m(30)),
    )
    demo.count("work orders")
    if job.unassigned:
        return
    if job.cancel and demo.rnd.random() < 0.5:
        demo.plan(when + _m(25), cancel, job)
        return
    demo.plan(when + _m(demo.rnd.randint(2, 6) if job.kind != "resident" else 1), dispatch, job)


def dispatch(demo, when, job: Job) -> None:
    from dispatch import services as ds

    job.wo.refresh_from_db()
    ds.dispatch_work_order(work_order=job.wo, technician=job.tech, by=job.coordinator, now=when)
    job.dispatched_at = when
    if job.kind == "carry_in":
        demo.plan(when + _m(70), carry_in_step, job, "diagnose")
    elif job.kind == "resident":
        demo.plan(when + _m(1), accept, job)
    elif job.cancel:
        demo.plan(when + _m(15), cancel, job)
    else:
        demo.plan(when + _m(demo.rnd.randint(1, 3)), accept, job)


def cancel(demo, when, job: Job) -> None:
    from dispatch import services as ds

    ds.cancel(work_order=job.wo, by=job.coordinator, reason="客户来电:问题已自行解决,取消上门", now=when)
    demo.count("cancelled")


def accept(demo, when, job: Job) -> None:
    from dispatch import services as ds

    if job.refuse:
        reason = REFUSE_REASONS[1] if job.refuse_unjustified else REFUSE_REASONS[0]
        refusal = ds.refuse(work_order=job.wo, by=job.tech, reason=reason, now=when)
        demo.plan(when + _m(20), judge, job, refusal)
        day = when.astimezone(job.created.tzinfo).date()
        job.tech, job.refuse = pick_technician(demo, day, area=job.equipment.site.area, exclude={job.tech.pk}), False
        demo.plan(when + _m(5), dispatch, job)
        return
    ds.accept(work_order=job.wo, by=job.tech, now=when)
    if job.kind == "resident":
        demo.plan(when + _m(demo.rnd.randint(2, 4)), arrive, job)  # R-W5: on site within 5 minutes
    elif job.late_depart:
        job.late_depart = False  # calls the client only after the R-W6 deadline: the evening scan finds it (R-W7)
        demo.plan(when + _m(demo.rnd.randint(18, 30)), contact, job)
    else:
        demo.plan(when + _m(demo.rnd.randint(2, 5)), contact, job)


def judge(demo, when, job: Job, refusal) -> None:
    from dispatch import services as ds

    if job.refuse_unjustified:
        ds.judge_refusal(refusal=refusal, unjustified=True, note="当时无其他任务,拒单理由不成立", by=job.coordinator, now=when)
    else:
        ds.judge_refusal(refusal=refusal, unjustified=False, note="确有紧急任务,理由成立", by=job.coordinator, now=when)


def contact(demo, when, job: Job) -> None:
    from dispatch import services as ds

    ds.contact(work_order=job.wo, by=job.tech, promised_at=when + _m(50), now=when)
    demo.plan(when + _m(demo.rnd.randint(1, 3)), depart, job)


def depart(demo, when, job: Job) -> None:
    from dispatch import services as ds

    ds.depart(work_order=job.wo, by=job.tech, now=when)
    demo.plan(when + _m(demo.rnd.randint(20, 40)), arrive, job)


def arrive(demo, when, job: Job) -> None:
    from dispatch import services as ds

    ds.arrive(work_order=job.wo, by=job.tech, now=when)
    if job.handover:
        demo.plan(when + _m(40), handover, job)
    else:
        demo.plan(when + _m(job.minutes + 5), resolve, job)


def handover(demo, when, job: Job) -> None:
    from dispatch import services as ds

    lead = demo.staff["tech1"]
    day = when.astimezone(job.created.tzinfo).date()
    if demo.load.get((lead.pk, day), 0) >= 3:
        demo.plan(when + _m(20), resolve_after_handover_refused, job)
        return
    demo.load[(lead.pk, day)] = demo.load.get((lead.pk, day), 0) + 1
    ds.handover(work_order=job.wo, by=job.tech, to=lead, notes="主板供电异常,本人无法修复,已告知客户,交组长处理", now=when)
    job.tech, job.handover, job.dispatched_at = lead, False, when
    demo.plan(when + _m(10), contact, job)


def resolve_after_handover_refused(demo, when, job: Job) -> None:
    """The team lead is fully booked today: the technician finishes the job after all."""
    job.handover = False
    resolve(demo, when + _m(job.minutes), job)


def drawn_signature(seed: int) -> str:
    """R-W10: the client's signature as the phone's signature pad stores it (an SVG data URL of pen strokes),
    a different scribble for each visit."""
    import base64

    points = [(20 + i * 28, 60 + ((seed * (i + 3) * 7) % 41) - 20) for i in range(9)]
    curve = " ".join(f"Q {x - 14} {y + (25 if i % 2 else -25)} {x} {y}" for i, (x, y) in enumerate(points[1:], start=1))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
        f'<path d="M {points[0][0]} {points[0][1]} {curve}" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round"/>'
        f'<path d="M 40 {95 - seed % 9} L 250 {88 + seed % 7}" fill="none" stroke="#000" stroke-width="2" stroke-linecap="round"/>'
        "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def resolve(demo, when, job: Job) -> None:
    from dispatch import services as ds

    started = when - _m(job.minutes + 3)
    ended = when - _m(3)
    done, cause, advice = WORK[job.content]
    close_out = ds.resolve(
        work_order=job.wo, by=job.tech, now=when, work_done=done, fault_cause=cause, advice=advice,
        software_installed="Windows 10 专业版" if any(line.get("item") == "os_install" for line in job.lines) else "",
        lines=job.lines, started_at=started, ended_at=ended, signature_name=job.equipment.site.contact_name,
        completed_at=ended + _m(2), signature_drawing=drawn_signature(job.wo.pk),
    )
    demo.count("visits resolved")
    if job.irregular:
        demo.plan(when + timedelta(days=1, hours=1), irregular, job, close_out)
    from . import office

    demo.plan(when + _m(8), office.sell, job)


def irregular(demo, when, job: Job, close_out) -> None:
    from dispatch import services as ds

    ds.mark_irregular(close_out=close_out, reason="服务单未写故障原因的具体部件,完成时间字迹潦草", by=job.coordinator, now=when)


# ------------------------------------------------------------------ carry-in repairs (R-W12, R-W13)
def carry_in_step(demo, when, job: Job, action: str) -> None:
    from dispatch import services as ds

    wo, tech, path = job.wo, job.tech, job.carry_in_path
    nxt = None
    if action == "diagnose":
        ds.diagnose(work_order=wo, by=tech, now=when)
        nxt = (when + _m(90), "ask_consent" if path in ("long", "declined") else "start_repair")
    elif action == "ask_consent":
        ready = (when + timedelta(days=5)).date()
        ds.ask_consent(work_order=wo, by=tech, diagnosis="硬盘坏道较多,需更换硬盘并恢复数据", expected_ready_on=ready, now=when)
        nxt = (when + timedelta(hours=20), "answer")
    elif action == "answer":
        go_on = path != "declined"
        ds.record_client_answer(
            work_order=wo, by=tech, continue_repair=go_on, now=when,
            note="客户同意维修,等待配件" if go_on else "客户认为维修费用太高,决定不修",
        )
        nxt = (when + timedelta(days=1), "chase") if job.chase else ((when + timedelta(days=3), "start_testing") if go_on else (when + timedelta(hours=22), "return"))
    elif action == "chase":
        ds.record_client_chase(work_order=wo, by=job.coordinator, note="客户来电询问维修进度,称无人告知", now=when)
        # R-W12 is a complaint (R-K10): the manager decides it was the technician's own work → P8 proposal
        from callbacks import complaints as cs
        from callbacks.models import Complaint

        chase = Complaint.objects.filter(work_order=wo, channel="carry_in_chase").latest("created_at")
        cs.decide(complaint=chase, by=demo.staff["manager"], now=when + timedelta(hours=2), outcome="own_work",
                  responsible=chase.technician, reason="诊断后未按规定告知客户预计修复时间")
        nxt = (when + timedelta(days=2), "start_testing")
    elif action == "start_repair":
        ds.start_repair(work_order=wo, by=tech, now=when)
        nxt = (when + timedelta(hours=3), "start_testing")
    elif action == "start_testing":
        ds.start_testing(work_order=wo, by=tech, now=when)
        nxt = (when + timedelta(days=1 if path == "quick" else 2), "finish_testing")
    elif action == "finish_testing":
        ds.finish_testing(work_order=wo, by=tech, test_days=1 if path == "quick" else 2, now=when)
        nxt = (when + timedelta(hours=demo.rnd.choice([3, 20, 26])), "return")
    elif action == "return":
        ds.return_device(work_order=wo, by=job.coordinator, now=when)
        demo.count("carry-in returned")
    if nxt:
        demo.plan(nxt[0], carry_in_step, job, nxt[1])


