from __future__ import annotations

from django.urls import path

from skills4cities.esco import views

app_name = "esco"

urlpatterns = [
    path("", views.search, name="search"),
    path("skills/<str:key>/", views.skill_detail, name="skill"),
    path("occupations/<str:key>/", views.occupation_detail, name="occupation"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/align/", views.align, name="align"),
]
