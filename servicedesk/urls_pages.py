from django.urls import path

from . import views

app_name = "servicedesk"
urlpatterns = [
    path("work-orders/", views.work_order_list, name="work_order_list"),
    path("work-orders/<int:pk>/", views.work_order_detail, name="work_order_detail"),
    path("parameters/", views.parameters, name="parameters"),
    path("calendar/", views.calendar, name="calendar"),
    path("notifications/", views.notifications, name="notifications"),
]
