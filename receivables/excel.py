"""Excel for finance (R-S8), kept as the stable import path: the ledger workbook lives in
`ledger_export` (XlsxWriter through `servicedesk.exports`), the all-or-nothing imports in `imports`."""
from .imports import (  # noqa: F401
    IMPORT_COLUMNS,
    PAYMENT_COLUMNS,
    ImportError_,
    ImportRejected,
    ImportResult,
    PaymentsResult,
    check_upload,
    import_confirmations,
    import_payments,
    import_template,
    payments_template,
)
from .ledger_export import LEDGER_COLUMNS, LEDGER_HEADERS, ExportResult, export_ledger, file_name  # noqa: F401
