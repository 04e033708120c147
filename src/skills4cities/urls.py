from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView

from skills4cities.accounts import views as account_views
from skills4cities.core.views import healthz
from skills4cities.frameworks import views as framework_views

urlpatterns = [
    path("", framework_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("me/", account_views.profile, name="profile"),
    path("organisations/", include("skills4cities.accounts.urls")),
    path("frameworks/", include("skills4cities.frameworks.urls")),
    path("curriculum/", include("skills4cities.curriculum.urls")),
    path("assessment/", include("skills4cities.assessments.urls")),
    path("esco/", include("skills4cities.esco.urls")),
    path("learning/", include("skills4cities.learning.urls")),
    path("exams/", include("skills4cities.exams.urls")),
    path("portfolio/", include("skills4cities.portfolio.urls")),
    path("validation/", include("skills4cities.validation.urls")),
    path("certification/", include("skills4cities.certification.urls")),
    path("matching/", include("skills4cities.matching.urls")),
    # /verify/<id>/, /.well-known/did.json and /credentials/status/… (public, fixed by DESIGN.md)
    path("", include("skills4cities.credentials.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("skills4cities.api.urls")),
    path("ims/case/v1p1/", include("skills4cities.api.case_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.http import HttpResponseNotFound
    from django.urls import re_path

    # Portfolio uploads under MEDIA_ROOT/private/ are served only by views that check access, never here.
    private_media = rf"^{settings.MEDIA_URL.lstrip('/')}private/"
    urlpatterns += [re_path(private_media, lambda request, *args, **kwargs: HttpResponseNotFound())]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
