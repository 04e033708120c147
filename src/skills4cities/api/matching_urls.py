from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.api import matching_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("matching/match/", matching_views.Match.as_view(), name="matching-match"),
]
