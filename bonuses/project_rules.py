"""R-M6, R-M7, R-M8: project bonus pools, their exact split and the late-documents deduction.

`project_pool` and `project_shares` are pure rule functions on plain values (parameters read
with `get_param`); the project completion service (dispatch/projects) calls them and keeps the
result as ProjectShare rows, which `project_awards` turns into the month's AwardDrafts.

Decisions (SPEC silent):
- Maintenance contracts ≥ ¥300 000: the manager sets the pool; the project manager's fixed share
  is then the one of the highest tier (¥200), capped at the pool, unless the manager sets it too.
- The late-documents deduction (R-M8) applies to every share the responsible person holds, is
  rounded once (ROUND_HALF_UP) per share and is not redistributed.
- A project's bonus lands in the month it was completed.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from servicedesk.errors import DomainError
from servicedesk.params import get_param
from servicedesk.templatetags.money import format_yuan

from .drafts import AwardDraft, AwardKind
from .splits import CENT, split_exact

MAINTENANCE, CONSTRUCTION = "maintenance", "construction"
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass
class Pool:
    pool: Decimal | None  # None: the manager must set it (maintenance ≥ ¥300 000)
    manager: Decimal = ZERO  # maintenance: the project manager's fixed share
    department: Decimal = ZERO  # maintenance: the whole-department share
    manual: bool = False
    explanation: dict = field(default_factory=dict)


def _y(value) -> str:
    """12,800.00 (the texts carry the ¥ sign themselves)."""
    return format_yuan(value, sign=False)


def _row_for(table: list, amount: Decimal) -> tuple[int, dict]:
    """以上/以下 convention: `inclusive` rows include their upper bound; `up_to` None is open-ended."""
    for i, row in enumerate(table):
        up_to = row.get("up_to")
        if up_to is None:
            return i, row
        bound = Decimal(str(up_to))
        if amount < bound or (row.get("inclusive") and amount == bound):
            return i, row
    raise DomainError(_("奖金池分段表没有覆盖合同金额 %(a)s。") % {"a": amount}, field="contract_amount")


def project_pool(*, kind: str, contract_amount: Decimal, on: date, manual_pool: Decimal | None = None,
                 manual_manager_share: Decimal | None = None) -> Pool:
    """R-M6: the pool of a project from the two tables (`bonus.maintenance_pool`, `bonus.construction_pool`)."""
    amount = Decimal(contract_amount)
    name = "bonus.maintenance_pool" if kind == MAINTENANCE else "bonus.construction_pool"
    p = get_param(name, on=on)
    i, row = _row_for(p.value, amount)
    inputs = {"kind": kind, "contract_amount": str(amount), "tier": i + 1}
    why = {"rule": "R-M6", "inputs": inputs, "params": [p.as_explanation()]}
    if row.get("pool") is not None:
        pool = Decimal(str(row["pool"])).quantize(CENT)
        if kind == MAINTENANCE:
            manager = Decimal(str(row.get("manager") or 0)).quantize(CENT)
            department = Decimal(str(row.get("department") or 0)).quantize(CENT)
            why["text"] = _("设备维保类,合同金额 ¥%(a)s 属第 %(t)s 档:奖金池 ¥%(p)s(项目经理 ¥%(m)s,部门 ¥%(d)s)") % {
                "a": _y(amount), "t": i + 1, "p": _y(pool), "m": _y(manager), "d": _y(department)}
            return Pool(pool, manager, department, False, why)
        why["text"] = _("建设型,合同金额 ¥%(a)s 属第 %(t)s 档:奖金池 ¥%(p)s") % {"a": _y(amount), "t": i + 1, "p": _y(pool)}
        return Pool(pool, explanation=why)
    # the table leaves this tier to the manager (maintenance ≥ ¥300 000)
    if manual_pool is None:
        return Pool(None, manual=True, explanation=why)
    pool = Decimal(manual_pool).quantize(CENT)
    if manual_manager_share is None:
        fixed = [Decimal(str(r["manager"])) for r in p.value if r.get("manager") is not None]
        manager = min(max(fixed) if fixed else ZERO, pool).quantize(CENT)
    else:
        manager = Decimal(manual_manager_share).quantize(CENT)
    inputs.update(manual_pool=str(pool), manager_share=str(manager))
    why["text"] = _("设备维保类,合同金额 ¥%(a)s(30万以上):经理确定奖金池 ¥%(p)s(项目经理 ¥%(m)s,部门 ¥%(d)s)") % {
        "a": _y(amount), "p": _y(pool), "m": _y(manager), "d": _y(pool - manager)}
    return Pool(pool, manager, pool - manager, True, why)


def late_days(*, documents_due: date, documents_complete_on: date) -> int:
    """R-M8: calendar days after the documents' due date."""
    return max(0, (documents_complete_on - documents_due).days)


def late_deduction(*, share: Decimal, days: int, daily_percent: Decimal) -> Decimal:
    """R-M8: each late day takes `daily_percent` of the share, down to zero (rounded once, half up)."""
    percent = min(HUNDRED, Decimal(days) * Decimal(daily_percent))
    return min(share, (share * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP))


def project_shares(*, kind: str, pool: Pool, manager_id: int, member_ids: list[int], participant_ids: list[int],
                   responsible_id: int, documents_due: date, documents_complete_on: date, on: date) -> list[dict]:
    """R-M6/R-M7/R-M8: every person's part of the pool: [{"person", "role", "gross", "deduction", "amount", "explanation"}]."""
    shares: list[dict] = []
    params = list(pool.explanation.get("params", []))
    if kind == CONSTRUCTION:
        w = get_param("bonus.construction_weights", on=on)
        weights = {manager_id: Decimal(str(w.value["manager"]))}
        for pid in member_ids:
            weights[pid] = Decimal(str(w.value["member"]))
        parts = split_exact(pool.pool, weights)
        total_weight = sum(weights.values())
        for pid, amount in parts.items():
            role = "manager" if pid == manager_id else "member"
            shares.append({
                "person": pid, "role": role, "gross": amount,
                "explanation": {
                    "rule": "R-M7", "params": params + [w.as_explanation()],
                    "inputs": {"pool": str(pool.pool), "weight": str(weights[pid]), "total_weight": str(total_weight)},
                    "text": _("建设型:奖金池 ¥%(p)s × 权重 %(w)s ÷ 总权重 %(t)s,按分取整、余分给余数最大者") % {
                        "p": _y(pool.pool), "w": weights[pid], "t": total_weight},
                },
            })
    else:
        if pool.manager > 0:
            shares.append({
                "person": manager_id, "role": "manager", "gross": pool.manager,
                "explanation": {"rule": "R-M6", "params": params, "inputs": {"pool": str(pool.pool)},
                                "text": _("设备维保类:项目经理固定份额 ¥%(m)s") % {"m": _y(pool.manager)}},
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
                                    "text": _("设备维保类:部门份额 ¥%(d)s ÷ %(n)s 人,按分取整、余分给余数最大者") % {
                                        "d": _y(pool.department), "n": len(participant_ids)}},
                })
    days = late_days(documents_due=documents_due, documents_complete_on=documents_complete_on)
    late = get_param("bonus.late_documents_daily_percent", on=on)
    for s in shares:
        s["deduction"] = ZERO
        if days and s["person"] == responsible_id:
            s["deduction"] = late_deduction(share=s["gross"], days=days, daily_percent=late.value)
            s["explanation"]["late"] = {
                "rule": "R-M8", "days": days, "deduction": str(s["deduction"]), "param": late.as_explanation(),
                "text": _("资料迟交 %(d)s 天 × %(p)s%% = 扣减 ¥%(x)s(不再分配给他人)") % {"d": days, "p": late.value, "x": _y(s["deduction"])},
            }
        s["amount"] = s["gross"] - s["deduction"]
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
