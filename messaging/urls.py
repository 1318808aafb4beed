from django.urls import path

from . import views

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:key>/", views.template_edit, name="template_edit"),
    path("my-channel/", views.my_channel, name="my_channel"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<int:pk>/", views.contact_channel, name="contact_channel"),
]
