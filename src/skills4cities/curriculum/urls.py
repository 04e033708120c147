from __future__ import annotations

from django.urls import path

from skills4cities.curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", views.index, name="index"),
    path("modules/<str:code>/", views.module_detail, name="module"),
]
