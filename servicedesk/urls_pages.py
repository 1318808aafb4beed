from django.urls import path

from . import attachment_views, views
from .masterdata import views as masterdata

app_name = "servicedesk"
urlpatterns = [
    path("work-orders/", views.work_order_list, name="work_order_list"),
    path("work-orders/<int:pk>/", views.work_order_detail, name="work_order_detail"),
    path("work-orders/<int:pk>/attachments/", attachment_views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", attachment_views.attachment_file, name="attachment_file"),
    path("attachments/<int:pk>/thumbnail/", attachment_views.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/remove/", attachment_views.attachment_remove, name="attachment_remove"),
    path("parameters/", views.parameters, name="parameters"),
    path("calendar/", views.calendar, name="calendar"),
    path("notifications/", views.notifications, name="notifications"),
    path("sessions/", views.sessions, name="sessions"),
    path("masterdata/", masterdata.masterdata, name="masterdata"),
    path("masterdata/confirm/", masterdata.masterdata_confirm, name="masterdata_confirm"),
    path("masterdata/jobs/<int:pk>/", masterdata.masterdata_job, name="masterdata_job"),
    path("masterdata/jobs/<int:pk>/status/", masterdata.masterdata_job_status, name="masterdata_job_status"),
    path("masterdata/template/", masterdata.masterdata_template, name="masterdata_template"),
    path("masterdata/export/", masterdata.masterdata_export, name="masterdata_export"),
]
