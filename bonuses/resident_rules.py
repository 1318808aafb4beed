"""R-M3, R-M4 resident allowance and fines; R-M5 team rewards — as AwardDrafts (read-only).

Decisions (SPEC silent):
- A rating's money lands in the month the client rated (ratings arrive after the month they judge;
  an approved month is never rewritten). The explanation names the report's own month.
- "The month's documents were in on time" (R-M3, R-R4): the site's attendance sheet, its quality
  evaluation and the technician's own report were all first submitted by the due date.
- R-M4: the site's lead is fined once per site and report month, however many reports of the site
  were rated poor or bad; the lead's own report rated poor or bad does not fine them a second time.
- R-M5: applies to every completed *team service* project (kind "team") with a recorded satisfaction —
  never to a maintenance or construction contract, which is paid by R-M6 (SPEC decision: never both); the
  team lead is the project manager; the month is the completion month.
- Amounts are the parameters in force on the day of the rating / completion.
"""
from datetime import date

from django.utils.translation import gettext_noop as N_

from servicedesk.params import get_params
from servicedesk.texts import message

from .drafts import AwardDraft, AwardKind


def resident_awards(*, month: date) -> list[AwardDraft]:
    from dispatch.resident.choices import BAD_RATINGS, GOOD_RATINGS, Rating
    from servicedesk.months import local_date, month_bounds
    from dispatch.resident.selectors import documents_statuses, on_time, rated_between

    start, end = month_bounds(month)
    reports = rated_between(start=start, end=end)
    statuses = documents_statuses(pairs=[(r.site_id, r.month) for r in reports])
    drafts: list[AwardDraft] = []
    leads_fined: set = set()
    for r in reports:
        on = local_date(r.rated_at)
        p = get_params(["bonus.resident_allowance", "bonus.resident_fine_lead", "bonus.resident_fine_member"], on=on)
        label = Rating(r.client_rating).label
        base = {"report": r.pk, "site": str(r.site), "report_month": r.month.strftime("%Y-%m"), "rating": r.client_rating,
                "rated_at": local_date(r.rated_at).isoformat()}
        post = getattr(r.site, "resident_post", None)
        lead_id = post.lead_id if post else None
        if r.client_rating in GOOD_RATINGS:
            ok = on_time(statuses[(r.site_id, r.month)], r.technician_id)
            if ok:
                pv = p["bonus.resident_allowance"]
                drafts.append(AwardDraft(
                    person_id=r.technician_id, rule="R-M3", kind=AwardKind.ALLOWANCE, amount=pv.value,
                    explanation={"text": message(N_("驻点补贴:%(m)s 客户评价“%(r)s”且月度资料按时提交"), m=base["report_month"], r=label),
                                 "inputs": {**base, "documents_on_time": True}, "params": [pv.as_explanation()]},
                    source=f"resident-report:{r.pk}",
                ))
        elif r.client_rating in BAD_RATINGS:
            if lead_id is not None and (r.site_id, r.month) not in leads_fined:
                leads_fined.add((r.site_id, r.month))
                pv = p["bonus.resident_fine_lead"]
                drafts.append(AwardDraft(
                    person_id=lead_id, rule="R-M4", kind=AwardKind.FINE, amount=pv.value,
                    explanation={"text": message(N_("驻点组长罚款:%(s)s %(m)s 客户评价“%(r)s”"), s=base["site"], m=base["report_month"], r=label),
                                 "inputs": base, "params": [pv.as_explanation()]},
                    source=f"resident-lead:{r.site_id}:{base['report_month']}",
                ))
            if r.technician_id != lead_id:
                pv = p["bonus.resident_fine_member"]
                drafts.append(AwardDraft(
                    person_id=r.technician_id, rule="R-M4", kind=AwardKind.FINE, amount=pv.value,
                    explanation={"text": message(N_("驻点技术员罚款:%(m)s 客户评价“%(r)s”"), m=base["report_month"], r=label),
                                 "inputs": base, "params": [pv.as_explanation()]},
                    source=f"resident-report:{r.pk}",
                ))
    return drafts


def team_awards(*, month: date) -> list[AwardDraft]:
    """R-M5: client satisfied → lead ¥100, each member ¥50; not satisfied → lead fined ¥100."""
    from dispatch.projects.selectors import completed_in
    from servicedesk.months import local_date

    drafts: list[AwardDraft] = []
    for project in completed_in(month=month):
        # SPEC decision: only team service pays R-M5; a project-type contract (maintenance, construction) pays R-M6.
        if project.kind != "team" or project.client_satisfied is None:
            continue
        on = local_date(project.completed_at)
        p = get_params(["bonus.team_lead_reward", "bonus.team_member_reward", "bonus.team_lead_fine"], on=on)
        base = {"project": project.pk, "number": project.number, "name": project.name, "client_satisfied": project.client_satisfied}
        if project.client_satisfied:
            pv = p["bonus.team_lead_reward"]
            drafts.append(AwardDraft(
                person_id=project.manager_id, rule="R-M5", kind=AwardKind.REWARD, amount=pv.value,
                explanation={"text": message(N_("团队服务 %(n)s 客户满意:组长奖励"), n=project.number), "inputs": base, "params": [pv.as_explanation()]},
                source=f"team:{project.pk}:lead",
            ))
            pv = p["bonus.team_member_reward"]
            for m in project.members.all():
                drafts.append(AwardDraft(
                    person_id=m.staff_id, rule="R-M5", kind=AwardKind.REWARD, amount=pv.value,
                    explanation={"text": message(N_("团队服务 %(n)s 客户满意:组员奖励"), n=project.number), "inputs": base, "params": [pv.as_explanation()]},
                    source=f"team:{project.pk}:member",
                ))
        else:
            pv = p["bonus.team_lead_fine"]
            drafts.append(AwardDraft(
                person_id=project.manager_id, rule="R-M5", kind=AwardKind.FINE, amount=pv.value,
                explanation={"text": message(N_("团队服务 %(n)s 客户不满意:组长罚款"), n=project.number), "inputs": base, "params": [pv.as_explanation()]},
                source=f"team:{project.pk}:lead",
            ))
    return drafts
