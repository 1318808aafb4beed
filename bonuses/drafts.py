"""The common currency of the month close: every money rule (R-M1…R-M8, R-N3) returns AwardDrafts.

`bonuses.services` turns drafts into `Award` rows of a person's monthly statement
(R-M9). Mobile rules live in `bonuses/mobile_rules.py`, resident and team rules in
`bonuses/resident_rules.py`, project bonuses in `bonuses/project_rules.py`; each
exposes `<x>_awards(*, month: date) -> list[AwardDraft]` and is read-only.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class AwardKind:
    REWARD = "reward"
    FINE = "fine"
    ALLOWANCE = "allowance"
    PROJECT_BONUS = "project_bonus"


@dataclass(frozen=True)
class AwardDraft:
    person_id: int
    rule: str  # "R-M1" … "R-M8", "R-N3"
    kind: str  # AwardKind.*; a fine is a positive amount of kind "fine"
    amount: Decimal  # 2 places, already rounded once (ROUND_HALF_UP) or split by R-M7
    explanation: dict = field(default_factory=dict)  # {"text": str, "inputs": {...}, "params": [ParamValue.as_explanation()...]}
    source: str = ""  # stable key of what caused it, e.g. "ranking:2026-10", "project:17", "resident-report:42"
    # a correction of an approved month (R-M9): the month it corrects and the original Award id, if any
    adjusts_month: date | None = None
    adjusts_id: int | None = None
