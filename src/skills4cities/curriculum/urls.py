from __future__ import annotations

from django.urls import path

from skills4cities.curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", views.index, name="index"),
    path("modules/<str:code>/", views.module_detail, name="module"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("cohorts/<uuid:public_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<uuid:public_id>/enrol/", views.cohort_enrol, name="cohort-enrol"),
    path("cohorts/<uuid:public_id>/learners/<uuid:learner_id>/", views.cohort_learner, name="cohort-learner"),
    path("cohorts/<uuid:public_id>/learners/<uuid:learner_id>/remove/", views.cohort_remove, name="cohort-remove"),
]
