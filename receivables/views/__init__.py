"""Pages of sales and receivables (thin: services decide, selectors read), by who uses them."""
from .desk import (  # noqa: F401
    confirmation_detail,
    confirmation_pdf,
    extensions,
    overdue_review,
    reconciliation,
    register,
    statement_detail,
    statement_export,
    statement_pdf,
    statement_step,
    statements,
)
from .finance import (  # noqa: F401
    export,
    export_download,
    export_status,
    import_status,
    import_template,
    import_view,
    ledger,
    payment_new,
    payments_import,
    payments_template,
)
from .mobile import counter_sale, my_ledger, sale, sale_collect, sale_extension, sale_sign  # noqa: F401
