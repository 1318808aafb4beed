"""Pages of maintenance contracts, mounted at /dispatch/contracts/ (namespace "dispatch:contracts")."""
from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
]
