from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.api import credentials_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("credentials/", credentials_views.MyCredentials.as_view(), name="credential-list"),
    path("credentials/<uuid:public_id>/", credentials_views.CredentialDetail.as_view(), name="credential-detail"),
    path("verify/", credentials_views.Verify.as_view(), name="verify"),
]
