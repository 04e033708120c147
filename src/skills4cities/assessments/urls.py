from __future__ import annotations

from django.urls import path

from skills4cities.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/", views.assessment_start, name="start"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("<uuid:public_id>/steps/<int:number>/", views.assessment_save_unit, name="save-unit"),
    path("<uuid:public_id>/rate/<str:code>/", views.assessment_rate, name="rate"),
    path("<uuid:public_id>/submit/", views.assessment_submit, name="submit"),
    path("<uuid:public_id>/results/", views.assessment_results, name="results"),
]
