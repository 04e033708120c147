"""The CASE 1.1 REST binding: /ims/case/v1p1/… (paths and parameter names as the CASE specification spells them)."""

from __future__ import annotations

from django.urls import path, re_path

from skills4cities.api import case_views as views

app_name = "case"

urlpatterns = [
    path("CFDocuments", views.CFDocumentList.as_view(), name="documents"),
    path("CFDocuments/<str:sourcedId>", views.CFDocumentDetail.as_view(), name="document"),
    path("CFPackages/<str:sourcedId>", views.CFPackageDetail.as_view(), name="package"),
    path("CFItems/<str:sourcedId>", views.CFItemDetail.as_view(), name="item"),
    path("CFItemAssociations/<str:sourcedId>", views.CFItemAssociations.as_view(), name="item-associations"),
    path("CFAssociations/<str:sourcedId>", views.CFAssociationDetail.as_view(), name="association"),
    path("CFRubrics/<str:sourcedId>", views.CFRubricDetail.as_view(), name="rubric"),
    re_path(r"", views.not_found_view),  # anything else under /ims/case/v1p1/ answers CASE's 404
]
