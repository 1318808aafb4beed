from django.urls import path

from . import views

urlpatterns = [
    # finance (R-S8)
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.export, name="export"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_status, name="import_status"),
    path("payments/new/", views.payment_new, name="payment_new"),
    path("payments/import/", views.payments_import, name="payments_import"),
    path("payments/import/template/", views.payments_template, name="payments_template"),
    # the technician's phone (R-S6)
    path("my-ledger/", views.my_ledger, name="my_ledger"),
    path("sales/new/", views.counter_sale, name="counter_sale"),
    path("sales/<int:pk>/", views.sale, name="sale"),
    path("sales/<int:pk>/sign/", views.sale_sign, name="sale_sign"),
    path("sales/<int:pk>/collect/", views.sale_collect, name="sale_collect"),
    path("sales/<int:pk>/extension/", views.sale_extension, name="sale_extension"),
    # coordinator, manager, GM office
    path("confirmations/<int:pk>/", views.confirmation_detail, name="confirmation_detail"),
    path("confirmations/<int:pk>/pdf/", views.confirmation_pdf, name="confirmation_pdf"),
    path("register/", views.register, name="register"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("statements/<int:pk>/export/", views.statement_export, name="statement_export"),
    path("statements/<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("statements/<int:pk>/<str:step>/", views.statement_step, name="statement_step"),
    path("extensions/", views.extensions, name="extensions"),
    path("overdue-review/", views.overdue_review, name="overdue_review"),
]
