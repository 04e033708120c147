from __future__ import annotations

from django.urls import path

from skills4cities.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("import/<uuid:public_id>/", views.framework_import_job, name="import-job"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/map/", views.competencies_map, name="map"),
    path("<slug:slug>/search/", views.search, name="search"),
    path("<slug:slug>/diff/", views.framework_diff, name="diff"),
    path("<slug:slug>/export/<str:format>/", views.framework_export, name="export"),
    path("<slug:slug>/roles/<slug:role_slug>/", views.role_detail, name="role"),
    path("<slug:slug>/roles/<slug:role_slug>/booklet.pdf", views.role_booklet, name="role-booklet"),
    path("<slug:slug>/units/<str:code>/", views.unit_detail, name="unit"),
    path("<slug:slug>/elements/<str:code>/", views.element_detail, name="element"),
    path("<slug:slug>/versions/<str:version>/publish/", views.framework_publish, name="publish"),
    path("<slug:slug>/versions/<str:version>/new-draft/", views.framework_new_draft, name="new-draft"),
]
