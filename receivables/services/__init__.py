"""Every write of sales and receivables (SPEC §9): one function per act, keyword-only, explicit `now`/`on`,
one transaction each. Views, the API, admin actions, Celery tasks and the dispatch close-out call these;
none repeats a rule. Split by sub-domain; everything is re-exported here so callers keep
`from receivables import services; services.record_payment(...)`."""
from .common import (
    CENT,
    MAX_AMOUNT,
    check_total,
    compute_due_date,
    default_terms,
    money,
    parse_amount,
)
from .confirmations import (
    LineInput,
    collect_on_the_spot,
    correct_amount,
    create_confirmation,
    record_in_ledger,
    record_signatures,
    register_delivery_copy,
    sign_by_client,
    sign_by_technician,
    void_confirmation,
)
from .extensions import approve_extension, reject_extension, request_extension
from .jobs import (
    EXPORT_SUBDIR,
    requeue_stale_jobs,
    run_export_job,
    run_import_job,
    start_export_job,
    start_import,
)
from .payments import record_payment
from .reviews import (
    follow_up_owner,
    monday_of,
    note_overdue_item,
    prepare_overdue_review,
    prepare_reconciliation,
    prepare_weekly_reconciliations,
    propose_overdue_penalty,
)
from .statements import (
    STATEMENT_FROZEN,
    check_statement,
    compile_month,
    compile_statement,
    review_statement,
    send_statement,
)
from .visits import create_missing_visit_sales, follow_charge_decision, sale_from_visit

__all__ = [
    "CENT", "EXPORT_SUBDIR", "MAX_AMOUNT", "STATEMENT_FROZEN", "LineInput",
    "approve_extension", "check_statement", "check_total", "collect_on_the_spot", "compile_month",
    "compile_statement", "compute_due_date", "correct_amount", "create_missing_visit_sales", "create_confirmation", "default_terms",
    "follow_charge_decision", "follow_up_owner", "monday_of", "money", "note_overdue_item",
    "parse_amount", "prepare_overdue_review", "prepare_reconciliation", "prepare_weekly_reconciliations",
    "propose_overdue_penalty", "record_in_ledger", "record_payment", "record_signatures", "register_delivery_copy",
    "reject_extension", "requeue_stale_jobs", "review_statement", "run_export_job", "run_import_job", "sale_from_visit",
    "send_statement", "sign_by_client", "sign_by_technician", "start_export_job", "start_import", "void_confirmation",
]
