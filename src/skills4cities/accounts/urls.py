from __future__ import annotations

from django.urls import path

from skills4cities.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("<uuid:public_id>/", views.organisation_detail, name="organisation"),
    path(
        "<uuid:public_id>/memberships/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership-remove",
    ),
]
