"""Work-order lifecycle and dispatch (SPEC §3, R-W1…R-W14), split by job:

- `common`      lock, version check, who may act, transition, event stamp (every service goes through these)
- `intake`      a caller who is not yet a client (R-W1)
- `dispatching` dispatch and reassignment with the response deadlines (R-W4…R-W8)
- `steps`       accept/refuse (R-W9), contact (R-W6), depart (R-W4), arrive (R-W5), hand-over (R-W11), cancel, close
- `close_out`   the service form and the resolution (R-W10, R-W14)
- `carry_in`    carry-in repairs (R-W12, R-W13)
- `judgements`  refusals and irregular forms judged by the desk (R-W9 → P1, R-W10 → P4)
- `scans`       the every-minute deadline scan (R-W7, R-W13)

Every service: keyword-only arguments, an explicit `now`, one transaction, the work-order row locked
(`select_for_update`), the optional `version` compared (stale forms after a reassignment are refused),
the transition looked up in `lifecycle.TRANSITIONS`, a `WorkOrderEvent` stamped (who, when, from, to,
holder) and `WorkOrder.version` bumped. Callers keep `from dispatch import services; services.resolve(...)`.
"""
from django.core.exceptions import ValidationError  # noqa: F401  (callers catch `services.ValidationError`)

from .carry_in import (
    ask_consent,
    diagnose,
    finish_testing,
    record_client_answer,
    record_client_chase,
    return_device,
    start_repair,
    start_testing,
)
from .close_out import (
    CLOSE_OUT_REQUIRED,
    SIGNATURE_MAX_CHARS,
    SIGNATURE_PREFIX,
    clean_lines,
    clean_signature_drawing,
    find_previous_visit,
    resolve,
)
from .common import ACTION_LABELS, DESK_ROLES
from .dispatching import (
    SLA_PARAMS,
    DispatchResult,
    LoadLimitExceeded,
    ResidentReasonRequired,
    booked_for_later,
    dispatch_work_order,
    resident_request_residents,
    sla_kinds_for,
)
from .intake import NEW_SITE_FIELDS, check_new_client, intake_new_client
from .judgements import judge_refusal, mark_irregular
from .scans import mark_breaches, scan_deadlines, scan_return_deadlines
from .steps import accept, arrive, cancel, close, contact, depart, handover, refuse

__all__ = [
    "ACTION_LABELS", "CLOSE_OUT_REQUIRED", "ValidationError", "DESK_ROLES", "NEW_SITE_FIELDS", "SIGNATURE_MAX_CHARS", "SIGNATURE_PREFIX",
    "SLA_PARAMS", "DispatchResult", "LoadLimitExceeded", "ResidentReasonRequired",
    "accept", "arrive", "ask_consent", "booked_for_later", "cancel", "check_new_client", "clean_lines",
    "clean_signature_drawing", "close", "contact", "depart", "diagnose", "dispatch_work_order", "find_previous_visit",
    "finish_testing", "handover", "intake_new_client", "judge_refusal", "mark_breaches", "mark_irregular",
    "record_client_answer", "record_client_chase", "refuse", "resident_request_residents", "resolve", "return_device",
    "scan_deadlines", "scan_return_deadlines", "sla_kinds_for", "start_repair", "start_testing",
]
