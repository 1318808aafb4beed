"""R-M6, R-M7, R-M8: the exact split of a project's bonus pool and the late-documents deduction.

`project_shares` is a pure rule function on plain values (parameters read with `get_param`). The pool itself
(R-M6 table, `Pool`, `project_pool`) lives with the projects in `dispatch/projects/rules.py`, which project
creation needs to validate its input. When a project is completed, dispatch sends
`dispatch.projects.signals.project_completed` inside its transaction; `bonuses.services.on_project_completed`
computes the shares here and keeps them as ProjectShare rows, which `project_awards` turns into the month's
AwardDrafts.

Decisions (SPEC silent):
- The late-documents deduction (R-M8) applies to every share the responsible person holds, is
  rounded once (ROUND_HALF_UP) per share and is not redistributed.
- A project's bonus lands in the month it was completed.
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from dispatch.projects.rules import CONSTRUCTION, ZERO, Pool
from servicedesk.errors import DomainError
from servicedesk.params import get_param
from servicedesk.texts import Money, message

from .drafts import AwardDraft, AwardKind
from .splits import CENT, split_exact

HUNDRED = Decimal(100)


def late_days(*, documents_due: date, documents_complete_on: date) -> int:
    """R-M8: calendar days after the documents' due date."""
    return max(0, (documents_complete_on - documents_due).days)


def late_deduction(*, share: Decimal, days: int, daily_percent: Decimal) -> Decimal:
    """R-M8: each late day takes `daily_percent` of the share, down to zero (rounded once, half up)."""
    percent = min(HUNDRED, Decimal(days) * Decimal(daily_percent))
    return min(share, (share * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP))


def _construction_shares(*, pool: Pool, manager_id: int, member_ids: list[int], params: list, on: date) -> list[dict]:
    """R-M7 construction: the pool split by weight (the project manager's weight, each member's weight)."""
    w = get_param("bonus.construction_weights", on=on)
    weights = {manager_id: Decimal(str(w.value["manager"]))}
    for pid in member_ids:
        weights[pid] = Decimal(str(w.value["member"]))
    parts = split_exact(pool.pool, weights)
    total_weight = sum(weights.values())
    shares = []
    for pid, amount in parts.items():
        role = "manager" if pid == manager_id else "member"
        shares.append({
            "person": pid, "role": role, "gross": amount,
            "explanation": {
                "rule": "R-M7", "params": params + [w.as_explanation()],
                "inputs": {"pool": str(pool.pool), "weight": str(weights[pid]), "total_weight": str(total_weight)},
                "text": message(N_("建设型:奖金池 %(p)s × 权重 %(w)s ÷ 总权重 %(t)s,按分取整、余分给余数最大者"),
                                p=Money(pool.pool), w=weights[pid], t=total_weight),
            },
        })
    return shares


def _maintenance_shares(*, pool: Pool, manager_id: int, participant_ids: list[int], params: list) -> list[dict]:
    """R-M6 maintenance: the project manager's fixed share; R-M7: the department share split evenly among the
    participants."""
    shares = []
    if pool.manager > 0:
        shares.append({
            "person": manager_id, "role": "manager", "gross": pool.manager,
            "explanation": {"rule": "R-M6", "params": params, "inputs": {"pool": str(pool.pool)},
                            "text": message(N_("设备维保类:项目经理固定份额 %(m)s"), m=Money(pool.manager))},
        })
    if pool.department > 0:
        if not participant_ids:
            raise DomainError(_("没有可分配部门份额的参与人员。"), field="members")
        parts = split_exact(pool.department, {pid: Decimal(1) for pid in participant_ids})
        for pid, amount in parts.items():
            shares.append({
                "person": pid, "role": "department", "gross": amount,
                "explanation": {"rule": "R-M7", "params": params,
                                "inputs": {"department_share": str(pool.department), "participants": len(participant_ids)},
                                "text": message(N_("设备维保类:部门份额 %(d)s ÷ %(n)s 人,按分取整、余分给余数最大者"),
                                                d=Money(pool.department), n=len(participant_ids))},
            })
    return shares


def _deduct_late_documents(shares: list[dict], *, responsible_id: int, documents_due: date,
                           documents_complete_on: date, on: date) -> None:
    """R-M8: every share of the responsible person loses the late days' percentage (not redistributed)."""
    days = late_days(documents_due=documents_due, documents_complete_on=documents_complete_on)
    late = get_param("bonus.late_documents_daily_percent", on=on)
    for s in shares:
        s["deduction"] = ZERO
        if days and s["person"] == responsible_id:
            s["deduction"] = late_deduction(share=s["gross"], days=days, daily_percent=late.value)
            s["explanation"]["late"] = {
                "rule": "R-M8", "days": days, "deduction": str(s["deduction"]), "param": late.as_explanation(),
                "text": message(N_("资料迟交 %(d)s 天 × %(p)s%% = 扣减 %(x)s(不再分配给他人)"), d=days, p=str(late.value),
                                x=Money(s["deduction"])),
            }
        s["amount"] = s["gross"] - s["deduction"]


def project_shares(*, kind: str, pool: Pool, manager_id: int, member_ids: list[int], participant_ids: list[int],
                   responsible_id: int, documents_due: date, documents_complete_on: date, on: date) -> list[dict]:
    """R-M6/R-M7/R-M8: every person's part of the pool: [{"person", "role", "gross", "deduction", "amount", "explanation"}]."""
    params = list(pool.explanation.get("params", []))
    if kind == CONSTRUCTION:
        shares = _construction_shares(pool=pool, manager_id=manager_id, member_ids=member_ids, params=params, on=on)
    else:
        shares = _maintenance_shares(pool=pool, manager_id=manager_id, participant_ids=participant_ids, params=params)
    _deduct_late_documents(shares, responsible_id=responsible_id, documents_due=documents_due,
                           documents_complete_on=documents_complete_on, on=on)
    return shares


def project_awards(*, month: date) -> list[AwardDraft]:
    """The project bonus shares of projects completed in the month (R-M6–R-M8), one draft per share."""
    from dispatch.projects.selectors import shares_completed_in

    drafts = []
    for share in shares_completed_in(month=month):
        if share.amount <= 0:
            continue
        ex = dict(share.explanation)
        ex.setdefault("text", "")
        ex["project"] = {"id": share.project_id, "number": share.project.number, "name": share.project.name,
                         "gross": str(share.gross), "deduction": str(share.deduction)}
        drafts.append(AwardDraft(
            person_id=share.person_id, rule="R-M6", kind=AwardKind.PROJECT_BONUS, amount=share.amount,
            explanation=ex, source=f"project:{share.project_id}:{share.role}",
        ))
    return drafts
