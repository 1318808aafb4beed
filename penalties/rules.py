"""The penalty catalogue P1–P11 (SPEC §7) as data: ranges and dismissal marks come from the
`penalty.P*` / `penalty.P8.joint` parameters in force on the event date, never from constants."""
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from servicedesk.errors import DomainError
from servicedesk.params import get_param, get_params

from .choices import RULES, DismissalMark, JointRole


@dataclass(frozen=True)
class RuleTerms:
    rule: str
    offence: str
    min_points: int
    max_points: int
    dismissal: str
    joint_role: str
    version: int  # RuleParameter.pk of the range actually used
    parameter: dict  # explanations of every parameter read

    @property
    def range_label(self) -> str:
        return str(self.min_points) if self.min_points == self.max_points else f"{self.min_points}–{self.max_points}"

    @property
    def dismissal_label(self) -> str:
        return DismissalMark(self.dismissal).label if self.dismissal in DismissalMark.values else self.dismissal


def check_rule(rule: str) -> str:
    rule = (rule or "").strip().upper()
    if rule not in RULES:
        raise DomainError(_("未知的处罚条款:%(r)s(应为 P1–P11)。") % {"r": rule}, field="rule")
    return rule


def rule_terms(rule: str, *, on: date, joint_role: str = "") -> RuleTerms:
    """Range and dismissal mark of `rule` on `on`; for a P8 joint-liability role, that role's range."""
    rule = check_rule(rule)
    p = get_param(f"penalty.{rule}", on=on)
    table = p.value
    parameter = {"rule": p.as_explanation()}
    lo, hi, version, dismissal = int(table["min"]), int(table["max"]), p.version, table.get("dismissal", DismissalMark.NEVER)
    if joint_role:
        if rule != "P8" or joint_role not in JointRole.values:
            raise DomainError(_("只有 P8 有连带责任角色。"), field="joint_role")
        joint = get_param("penalty.P8.joint", on=on)
        rng = joint.value[joint_role]
        lo, hi, version = int(rng["min"]), int(rng["max"]), joint.version
        dismissal = DismissalMark.NEVER  # joint liability is points only; dismissal concerns the person themselves
        parameter["joint"] = joint.as_explanation()
    return RuleTerms(rule, table.get("offence", ""), lo, hi, dismissal, joint_role, version, parameter)


def catalogue(*, on: date) -> list[RuleTerms]:
    """P1–P11 plus the P8 joint-liability roles, as in force on `on` (one query)."""
    names = [f"penalty.{r}" for r in RULES] + ["penalty.P8.joint"]
    params = get_params(names, on=on)
    rows = []
    for rule in RULES:
        p = params[f"penalty.{rule}"]
        t = p.value
        rows.append(
            RuleTerms(rule, t.get("offence", ""), int(t["min"]), int(t["max"]), t.get("dismissal", DismissalMark.NEVER),
                      "", p.version, {"rule": p.as_explanation()})
        )
        if rule == "P8":
            joint = params["penalty.P8.joint"]
            for role in JointRole.values:
                rng = joint.value[role]
                rows.append(
                    RuleTerms(rule, JointRole(role).label, int(rng["min"]), int(rng["max"]), DismissalMark.NEVER, role,
                              joint.version, {"rule": p.as_explanation(), "joint": joint.as_explanation()})
                )
    return rows
