from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.api import exams_views as views

# ``str``, not ``uuid``: a malformed id must reach the API view (a JSON 404), not the site's catch-all
urlpatterns: list[URLPattern | URLResolver] = [
    path("exams/", views.ExamList.as_view(), name="exam-list"),
    path("exams/attempts/", views.AttemptStart.as_view(), name="exam-attempt-start"),
    path("exams/attempts/<str:public_id>/", views.AttemptDetail.as_view(), name="exam-attempt"),
    path("exams/attempts/<str:public_id>/next/", views.NextItem.as_view(), name="exam-attempt-next"),
    path("exams/attempts/<str:public_id>/items/<int:position>/", views.ItemAt.as_view(), name="exam-attempt-item"),
    path("exams/attempts/<str:public_id>/answers/", views.AnswerSave.as_view(), name="exam-attempt-answer"),
    path("exams/attempts/<str:public_id>/finish/", views.AttemptFinish.as_view(), name="exam-attempt-finish"),
    path("exams/attempts/<str:public_id>/result/", views.AttemptResult.as_view(), name="exam-attempt-result"),
]
