from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.api import portfolio_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("portfolio/items/", views.EvidenceItemList.as_view(), name="portfolio-items"),
    path("portfolio/items/<uuid:public_id>/", views.EvidenceItemDetail.as_view(), name="portfolio-item"),
    path("portfolio/files/<uuid:public_id>/", views.EvidenceFileDownload.as_view(), name="portfolio-file"),
]
