"""Public verification, the DID document and status lists (no login), and the holder's credential pages."""

from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from skills4cities.core import ratelimit
from skills4cities.credentials import selectors, services
from skills4cities.credentials.forms import VerifyForm
from skills4cities.credentials.pdf import render_certificate_pdf

JSON_LD = "application/ld+json"


def _public_json(body: str, content_type: str, *, max_age: int) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in browsers fetch these
    return response


@require_GET
def did_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(services.did_document(), indent=2)
    return _public_json(body, "application/did+json", max_age=300)


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    status = selectors.status_list_by_number(number)
    return _public_json(services.status_list_document(status_list=status), "application/vc+ld+json", max_age=60)


@require_http_methods(["GET", "POST"])
def verify_index(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        rate = ratelimit.parse_rate(settings.CREDENTIALS_VERIFY_RATE)
        wait = ratelimit.hit("credentials-verify", ratelimit.client_ip(request), rate)
        if wait is not None:
            return _verify_limited(request, wait)
        form = VerifyForm(request.POST, request.FILES)
        result = form.verify() if form.is_valid() else None
    else:
        form, result = VerifyForm(), None
    return render(request, "credentials/verify_index.html", {"form": form, "result": result})


def _verify_limited(request: HttpRequest, wait: int) -> HttpResponse:
    """Over CREDENTIALS_VERIFY_RATE: the form again (with the pasted text), a message, 429 and Retry-After."""
    limited = ngettext(
        "Too many verification attempts from your address. Please try again in %(seconds)d second.",
        "Too many verification attempts from your address. Please try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}
    form = VerifyForm(initial={"document": request.POST.get("document", "")})
    context = {"form": form, "result": None, "limited": limited}
    response = render(request, "credentials/verify_index.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_GET
def verify_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    credential = selectors.credential_public(public_id)
    result = services.credential_verify(credential.document)
    user = request.user
    context = {
        "credential": credential,
        "result": result,
        "achievement": credential.document_dict["credentialSubject"]["achievement"],
        "issuer": credential.document_dict["issuer"],
        "is_holder": user.is_authenticated and (user.pk == credential.holder_id or user.is_staff),
    }
    return render(request, "credentials/verify_detail.html", context)


@require_GET
def verify_json(request: HttpRequest, public_id: UUID) -> HttpResponse:
    credential = selectors.credential_public(public_id)
    response = _public_json(credential.document, JSON_LD, max_age=0)
    response["Content-Disposition"] = f'inline; filename="credential-{credential.public_id}.json"'
    return response


@login_required
def my_credentials(request: HttpRequest) -> HttpResponse:
    return render(request, "credentials/list.html", {"credentials": selectors.credentials_of(request.user)})


@login_required
def credential_json(request: HttpRequest, public_id: UUID) -> HttpResponse:
    credential = selectors.credential_for_user(request.user, public_id)
    response = HttpResponse(credential.document, content_type=f"{JSON_LD}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.public_id}.json"'
    return response


@login_required
def credential_jwt(request: HttpRequest, public_id: UUID) -> HttpResponse:
    credential = selectors.credential_for_user(request.user, public_id)
    response = HttpResponse(credential.jwt, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.public_id}.jwt"'
    return response


@login_required
@cache_control(private=True, no_store=True)
def credential_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    credential = selectors.credential_for_user(request.user, public_id)
    response = HttpResponse(render_certificate_pdf(credential), content_type="application/pdf")
    filename = _("certificate") + f"-{credential.public_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
