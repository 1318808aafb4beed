from django.urls import path

from . import views
from .masterdata import views as masterdata

app_name = "servicedesk"
urlpatterns = [
    path("work-orders/", views.work_order_list, name="work_order_list"),
    path("work-orders/<int:pk>/", views.work_order_detail, name="work_order_detail"),
    path("parameters/", views.parameters, name="parameters"),
    path("calendar/", views.calendar, name="calendar"),
    path("notifications/", views.notifications, name="notifications"),
    path("masterdata/", masterdata.masterdata, name="masterdata"),
    path("masterdata/confirm/", masterdata.masterdata_confirm, name="masterdata_confirm"),
    path("masterdata/template/", masterdata.masterdata_template, name="masterdata_template"),
    path("masterdata/export/", masterdata.masterdata_export, name="masterdata_export"),
]
