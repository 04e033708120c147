"""Portfolio pages: my evidence (list, add, edit, delete with confirmation), item detail, file download."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skills4cities.portfolio import selectors, services
from skills4cities.portfolio.enums import EvidenceItemKind
from skills4cities.portfolio.forms import EvidenceItemForm

#: Files per form at most, in effect: a request body above this many times the file limit is refused before it is
#: read, so that an oversize upload never reaches the disk (the per-file check still applies to what is read).
MAX_FILES_PER_REQUEST = 5


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > services.max_upload_bytes() * MAX_FILES_PER_REQUEST + 1024 * 1024


def _refuse_too_large(request: HttpRequest, *, kind: str, item: Any) -> HttpResponse:
    form = EvidenceItemForm(kind=kind, item=item)
    error = _("The upload is too large: at most %(count)d files of %(limit)s each can be sent at once.") % {
        "count": MAX_FILES_PER_REQUEST,
        "limit": filesizeformat(services.max_upload_bytes()),
    }
    context = {"form": form, "kind": EvidenceItemKind(kind), "item": item, "upload_error": error}
    return render(request, "portfolio/form.html", context, status=413)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    context = {"items": list(selectors.items_of(request.user)), "kinds": EvidenceItemKind.choices}
    return render(request, "portfolio/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in EvidenceItemKind.values:
        raise Http404
    if request.method == "POST" and _too_large(request):
        return _refuse_too_large(request, kind=kind, item=None)
    posted = request.method == "POST"
    form = EvidenceItemForm(request.POST if posted else None, request.FILES if posted else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        item = form.save(user=request.user)
        if item is not None:
            messages.success(
                request, _("The evidence “%(title)s” was added to your portfolio.") % {"title": item.title}
            )
            return redirect("portfolio:detail", item.public_id)
    context = {"form": form, "kind": EvidenceItemKind(kind), "item": None}
    return render(request, "portfolio/form.html", context, status=400 if form.errors else 200)


@login_required
def item_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.item_for_user(request.user, public_id)
    context = {
        "item": item,
        "is_owner": item.owner_id == request.user.pk,
        "locked": selectors.item_is_under_validation(item),
    }
    return render(request, "portfolio/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.item_for_user(request.user, public_id, write=True)
    initial = {
        "title": item.title,
        "description": item.description,
        "date_from": item.date_from,
        "date_to": item.date_to,
        "issuer": item.issuer,
        "url": item.url,
        "referee_name": item.referee_name,
        "referee_email": item.referee_email,
        "referee_statement": item.referee_statement,
        "element_codes": [element.code for element in item.elements.all()],
    }
    if request.method == "POST" and _too_large(request):
        return _refuse_too_large(request, kind=item.kind, item=item)
    posted = request.method == "POST"
    form = EvidenceItemForm(
        request.POST if posted else None, request.FILES if posted else None, kind=item.kind, item=item, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(user=request.user)
        if saved is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("portfolio:detail", saved.public_id)
    context = {"form": form, "kind": EvidenceItemKind(item.kind), "item": item}
    return render(request, "portfolio/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.item_for_user(request.user, public_id, write=True)
    error = None
    if request.method == "POST":
        try:
            services.evidence_item_delete(actor=request.user, item=item)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, _("The evidence “%(title)s” was deleted.") % {"title": item.title})
            return redirect("portfolio:list")
    context = {"item": item, "error": error, "locked": selectors.item_is_under_validation(item)}
    return render(request, "portfolio/delete.html", context, status=409 if error else 200)


@login_required
def file_download(request: HttpRequest, public_id: UUID) -> HttpResponseBase:
    return selectors.evidence_file_response(selectors.evidence_file_for_user(request.user, public_id))
