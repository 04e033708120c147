from __future__ import annotations

from django.urls import path

from skills4cities.exams import views

app_name = "exams"

urlpatterns = [
    path("", views.exam_home, name="home"),
    path("practice/<str:code>/start/", views.practice_start, name="practice-start"),
    path("certification/<slug:role>/<str:code>/start/", views.certification_start, name="certification-start"),
    path("adaptive/<str:code>/start/", views.adaptive_start, name="adaptive-start"),
    path(
        "adaptive/<slug:role>/<str:code>/start/",
        views.adaptive_certification_start,
        name="adaptive-certification-start",
    ),
    path("attempts/<uuid:public_id>/", views.attempt_resume, name="attempt"),
    path("attempts/<uuid:public_id>/items/<int:position>/", views.attempt_item, name="item"),
    path("attempts/<uuid:public_id>/finish/", views.attempt_finish, name="finish"),
    path("attempts/<uuid:public_id>/result/", views.attempt_result, name="result"),
    path("attempts/<uuid:public_id>/resit/", views.attempt_resit, name="resit"),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis/items/<uuid:public_id>/", views.analysis_item, name="analysis-item"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/open/", views.session_open, name="session-open"),
    path("sessions/<uuid:public_id>/close/", views.session_close, name="session-close"),
    path("configuration/", views.config_list, name="config-list"),
    path("configuration/<uuid:public_id>/", views.config_edit, name="config-edit"),
]
