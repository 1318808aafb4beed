from servicedesk.routers import Router

from . import api

router = Router()
router.register("receivables/confirmations", api.ConfirmationViewSet, basename="sales-confirmation")
router.register("receivables/extensions", api.ExtensionViewSet, basename="due-date-extension")
router.register("receivables/payments", api.PaymentViewSet, basename="receivable-payment")
router.register("receivables/statements", api.StatementViewSet, basename="monthly-statement")
router.register("receivables/ledger", api.LedgerViewSet, basename="receivable-ledger")
router.register("receivables/overdue-items", api.OverdueItemViewSet, basename="overdue-item")
urlpatterns = router.urls
