"""Mounted at the site root: the public paths are fixed by DESIGN.md."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.credentials import views

app_name = "credentials"

urlpatterns: list[URLPattern | URLResolver] = [
    path(".well-known/did.json", views.did_json, name="did"),
    path("verify/", views.verify_index, name="verify"),
    path("verify/<uuid:public_id>/", views.verify_detail, name="verify-detail"),
    path("verify/<uuid:public_id>/credential.json", views.verify_json, name="verify-json"),
    path("credentials/", views.my_credentials, name="list"),
    path("credentials/status/<int:number>/", views.status_list, name="status-list"),
    path("credentials/<uuid:public_id>/credential.json", views.credential_json, name="json"),
    path("credentials/<uuid:public_id>/jwt", views.credential_jwt, name="jwt"),
    path("credentials/<uuid:public_id>/certificate.pdf", views.credential_pdf, name="pdf"),
]
