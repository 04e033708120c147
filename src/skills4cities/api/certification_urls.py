from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.api import certification_views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "certification/eligibility/",
        certification_views.MyEligibility.as_view(),
        name="certification-eligibility",
    ),
    path("certification/accredited/", certification_views.AccreditedList.as_view(), name="certification-accredited"),
]
