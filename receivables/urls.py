from django.urls import path

from . import views

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.export, name="export"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("my-ledger/", views.my_ledger, name="my_ledger"),
    path("confirmations/<int:pk>/", views.confirmation_detail, name="confirmation_detail"),
    path("register/", views.register, name="register"),
    path("overdue-review/", views.overdue_review, name="overdue_review"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/<str:step>/", views.statement_step, name="statement_step"),
]
