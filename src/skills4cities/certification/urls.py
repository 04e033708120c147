from __future__ import annotations

from django.urls import path

from skills4cities.certification import views

app_name = "certification"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("accredited/", views.accredited, name="accredited"),
    path("rules/<slug:role_slug>/", views.rule_edit, name="rule"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<uuid:public_id>/", views.candidate, name="candidate"),
    path("candidates/<uuid:public_id>/issue/", views.candidate_issue, name="candidate-issue"),
    path(
        "candidates/<uuid:public_id>/issue-attendance/",
        views.candidate_issue_attendance,
        name="candidate-issue-attendance",
    ),
    path("candidates/<uuid:public_id>/experience/", views.candidate_experience, name="candidate-experience"),
    path("candidates/<uuid:public_id>/attendance/", views.candidate_attendance, name="candidate-attendance"),
    path("credentials/<uuid:public_id>/revoke/", views.credential_revoke, name="credential-revoke"),
    path("registry/", views.registry, name="registry"),
    path("registry/<uuid:public_id>/", views.accreditation, name="accreditation"),
    path(
        "registry/<uuid:public_id>/<str:action>/",
        views.accreditation_action,
        name="accreditation-action",
    ),
]
