from __future__ import annotations

from django.urls import path

from skills4cities.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("add/<slug:kind>/", views.item_add, name="add"),
    path("<uuid:public_id>/", views.item_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.item_edit, name="edit"),
    path("<uuid:public_id>/delete/", views.item_delete, name="delete"),
    path("files/<uuid:public_id>/", views.file_download, name="file"),
]
