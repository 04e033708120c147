from __future__ import annotations

from django.urls import include, path, re_path

from skills4cities.api import cohort_views, diff_views, learning_views, me_views, views
from skills4cities.api.errors import not_found_view

app_name = "api"

urlpatterns = [
    path("frameworks/", views.FrameworkList.as_view(), name="framework-list"),
    path("frameworks/<slug:slug>/", views.FrameworkDetail.as_view(), name="framework-detail"),
    path("frameworks/<slug:slug>/versions/", views.FrameworkVersions.as_view(), name="framework-versions"),
    path("frameworks/<slug:slug>/diff/", diff_views.FrameworkDiff.as_view(), name="framework-diff"),
    path("frameworks/<slug:slug>/roles/", views.RoleList.as_view(), name="role-list"),
    path("frameworks/<slug:slug>/roles/<slug:role_slug>/", views.RoleDetail.as_view(), name="role-detail"),
    path("frameworks/<slug:slug>/units/", views.UnitList.as_view(), name="unit-list"),
    path("frameworks/<slug:slug>/units/<str:code>/", views.UnitDetail.as_view(), name="unit-detail"),
    path("frameworks/<slug:slug>/elements/", views.ElementList.as_view(), name="element-list"),
    path("frameworks/<slug:slug>/elements/<str:code>/", views.ElementDetail.as_view(), name="element-detail"),
    path("me/learning-path/", learning_views.MyLearningPath.as_view(), name="my-learning-path"),
    path("me/gap/", me_views.MyGap.as_view(), name="my-gap"),
    path(
        "cohorts/<uuid:public_id>/learners/<uuid:learner_id>/gap/",
        cohort_views.CohortLearnerGap.as_view(),
        name="cohort-learner-gap",
    ),
    path(
        "cohorts/<uuid:public_id>/learners/<uuid:learner_id>/learning-path/",
        cohort_views.CohortLearnerPath.as_view(),
        name="cohort-learner-path",
    ),
    path("", include("skills4cities.api.exams_urls")),
    path("", include("skills4cities.api.portfolio_urls")),
    path("", include("skills4cities.api.validation_urls")),
    path("", include("skills4cities.api.certification_urls")),
    path("", include("skills4cities.api.credentials_urls")),
    path("", include("skills4cities.api.matching_urls")),
    re_path(r"", not_found_view),  # anything else under /api/v1/ answers the API's JSON 404
]
