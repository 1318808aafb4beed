from django.urls import path

from . import api

urlpatterns = [
    path("reports/monthly/<str:month>/", api.MonthlyReportView.as_view(), name="api_monthly_report"),
    path("reports/monthly/<str:month>/compile/", api.CompileView.as_view(), name="api_monthly_report_compile"),
    path("reports/monthly/<str:month>/approve/", api.ApproveView.as_view(), name="api_monthly_report_approve"),
    path("reports/monthly/<str:month>/export/", api.ExportView.as_view(), name="api_monthly_report_export"),
]
