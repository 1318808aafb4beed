"""R-M6: the project bonus pool table — a pure rule on plain values (parameters read with `get_param`).

It lives with the projects because creating a project needs it synchronously to validate the manager's input
(R-M5/R-M6: whether a maintenance contract ≥ ¥300 000 needs a typed pool, and that no pool is typed where the
table sets it), and completing a project records the pool it paid. How the pool is split among the people
(R-M7, R-M8) belongs to bonuses (`bonuses/project_rules.py`), which reacts to `project_completed`.

Decision (SPEC silent): maintenance contracts ≥ ¥300 000: the manager sets the pool; the project manager's
fixed share is then the one of the highest tier (¥200), capped at the pool, unless the manager sets it too.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.errors import DomainError
from servicedesk.params import get_param
from servicedesk.texts import Money, message

MAINTENANCE, CONSTRUCTION = "maintenance", "construction"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class Pool:
    pool: Decimal | None  # None: the manager must set it (maintenance ≥ ¥300 000)
    manager: Decimal = ZERO  # maintenance: the project manager's fixed share
    department: Decimal = ZERO  # maintenance: the whole-department share
    manual: bool = False
    explanation: dict = field(default_factory=dict)


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


def _manual_pool(p, *, amount: Decimal, manual_pool: Decimal, manual_manager_share: Decimal | None, why: dict) -> Pool:
    """R-M6 decision: the manager's pool for a tier the table leaves open, with the manager's fixed share."""
    pool = Decimal(manual_pool).quantize(CENT)
    if manual_manager_share is None:
        fixed = [Decimal(str(r["manager"])) for r in p.value if r.get("manager") is not None]
        manager = min(max(fixed) if fixed else ZERO, pool).quantize(CENT)
    else:
        manager = Decimal(manual_manager_share).quantize(CENT)
    why["inputs"].update(manual_pool=str(pool), manager_share=str(manager))
    why["text"] = message(N_("设备维保类,合同金额 %(a)s(30万以上):经理确定奖金池 %(p)s(项目经理 %(m)s,部门 %(d)s)"),
                          a=Money(amount), p=Money(pool), m=Money(manager), d=Money(pool - manager))
    return Pool(pool, manager, pool - manager, True, why)


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
            why["text"] = message(N_("设备维保类,合同金额 %(a)s 属第 %(t)s 档:奖金池 %(p)s(项目经理 %(m)s,部门 %(d)s)"),
                                  a=Money(amount), t=i + 1, p=Money(pool), m=Money(manager), d=Money(department))
            return Pool(pool, manager, department, False, why)
        why["text"] = message(N_("建设型,合同金额 %(a)s 属第 %(t)s 档:奖金池 %(p)s"), a=Money(amount), t=i + 1, p=Money(pool))
        return Pool(pool, explanation=why)
    # the table leaves this tier to the manager (maintenance ≥ ¥300 000)
    if manual_pool is None:
        return Pool(None, manual=True, explanation=why)
    return _manual_pool(p, amount=amount, manual_pool=manual_pool, manual_manager_share=manual_manager_share, why=why)
