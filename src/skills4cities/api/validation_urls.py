from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.api import validation_views as views

_BASE = "validation/requests/<uuid:public_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("validation/requests/", views.ValidationRequestList.as_view(), name="validation-requests"),
    path(_BASE, views.ValidationRequestDetail.as_view(), name="validation-request"),
    path(f"{_BASE}submit/", views.Submit.as_view(), name="validation-submit"),
    path(f"{_BASE}assign/", views.Assign.as_view(), name="validation-assign"),
    path(f"{_BASE}start-review/", views.StartReview.as_view(), name="validation-start-review"),
    path(
        f"{_BASE}request-more-evidence/", views.RequestMoreEvidence.as_view(), name="validation-request-more-evidence"
    ),
    path(f"{_BASE}add-evidence/", views.AddEvidence.as_view(), name="validation-add-evidence"),
    path(f"{_BASE}resubmit/", views.Resubmit.as_view(), name="validation-resubmit"),
    path(f"{_BASE}judgements/", views.Judge.as_view(), name="validation-judge"),
    path(f"{_BASE}decide/", views.Decide.as_view(), name="validation-decide"),
    path(f"{_BASE}appeal/", views.Appeal.as_view(), name="validation-appeal"),
    path(f"{_BASE}decide-appeal/", views.DecideAppeal.as_view(), name="validation-decide-appeal"),
    path(f"{_BASE}finalise/", views.Finalise.as_view(), name="validation-finalise"),
]
