from __future__ import annotations

from django.urls import path

from skills4cities.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.path_list, name="list"),
    path("propose/", views.path_propose, name="propose"),
    path("<uuid:public_id>/", views.path_detail, name="detail"),
    path("<uuid:public_id>/accept/", views.path_accept, name="accept"),
    path("<uuid:public_id>/plan.pdf", views.path_plan_pdf, name="plan-pdf"),
    path(
        "<uuid:public_id>/modules/<str:code>/<str:action>/",
        views.module_action,
        name="module-action",
    ),
]
