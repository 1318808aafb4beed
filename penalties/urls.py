from django.urls import path

from . import views

urlpatterns = [
    path("", views.review, name="review"),
    path("mine/", views.mine, name="mine"),
    path("people/<int:pk>/", views.person_history, name="person"),
]
