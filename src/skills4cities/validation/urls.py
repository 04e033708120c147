from __future__ import annotations

from django.urls import path

from skills4cities.validation import views

app_name = "validation"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("<uuid:public_id>/", views.request_detail, name="detail"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("<uuid:public_id>/files/<uuid:file_id>/", views.evidence_file, name="file"),
    path("<uuid:public_id>/<slug:action>/", views.request_action, name="action"),
]
