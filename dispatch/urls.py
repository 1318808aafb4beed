"""Pages of dispatch, mounted at /dispatch/ (namespace "dispatch")."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/partial/", views.board_partial, name="board_partial"),
    path("board/<int:pk>/assign/", views.assign, name="assign"),
    path("refusals/<int:pk>/judge/", views.judge, name="judge"),
    path("intake/", views.intake, name="intake"),
    path("intake/lookup/", views.lookup, name="lookup"),
    path("intake/pick/", views.pick, name="pick"),
    path("work-orders/<int:pk>/irregular/", views.mark_irregular, name="mark_irregular"),
    path("work-orders/<int:pk>/desk/<str:action>/", views.desk_step, name="desk_step"),
    path("my/", views.my_work, name="my_work"),
    path("my/<int:pk>/", views.mobile_order, name="mobile_order"),
    path("my/<int:pk>/step/<str:action>/", views.step, name="step"),
    path("my/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("my/<int:pk>/handover/", views.handover, name="handover"),
    path("my/<int:pk>/close-out/", views.close_out, name="close_out"),
    path("my/<int:pk>/quote/", views.quote, name="quote"),
    path("work-orders/<int:pk>/service-form/", views.service_form, name="service_form"),
    path("work-orders/<int:pk>/service-form/pdf/", views.service_form_pdf, name="service_form_pdf"),
    # R-R1…R-R6: resident service, team projects, maintenance contracts
    path("resident/", include("dispatch.resident.urls", namespace="resident")),
    path("projects/", include("dispatch.projects.urls", namespace="projects")),
    path("contracts/", include("dispatch.contracts.urls", namespace="contracts")),
]
