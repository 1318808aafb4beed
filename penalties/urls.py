from django.urls import path

from . import offence_views, views

urlpatterns = [
    path("", views.review, name="review"),
    path("mine/", views.mine, name="mine"),
    path("people/<int:pk>/", views.person_history, name="person"),
    # R-N5 recorded offences
    path("offences/new/", offence_views.offence_new, name="offence_new"),
    path("offences/mine/", offence_views.offence_mine, name="offence_mine"),
    path("offences/<int:pk>/", offence_views.offence_detail, name="offence_detail"),
    path("offences/<int:pk>/photo/", offence_views.offence_photo, name="offence_photo"),
]
