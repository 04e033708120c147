"""ESCO pages: search, skills, occupations, and skill suggestions for framework editors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.esco import selectors
from skills4cities.esco.enums import SkillRelation
from skills4cities.esco.suggest import MAX_TEXT_CHARS, suggest_esco_skills_with_notice
from skills4cities.frameworks import selectors as framework_selectors
from skills4cities.frameworks import services as framework_services
from skills4cities.frameworks.interchange.document import DocumentErrors

SUGGESTIONS = 10


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    found = selectors.page_key(query)
    if found is not None:
        return redirect(f"esco:{found[0]}", found[1])
    results = selectors.search_concepts(query) if query else None
    context = {"query": query, "results": results}
    if _is_htmx(request):
        return render(request, "esco/_search_results.html", context)
    return render(request, "esco/search.html", context | {"release": selectors.latest_release()})


def skill_detail(request: HttpRequest, key: str) -> HttpResponse:
    skill = selectors.skill_by_key(key)
    occupations = selectors.occupations_of(skill)
    context = {
        "skill": skill,
        "essential_for": occupations[SkillRelation.ESSENTIAL],
        "optional_for": occupations[SkillRelation.OPTIONAL],
        "aligned": framework_selectors.alignments_to(request.user, [skill.uri]),
    }
    return render(request, "esco/skill_detail.html", context)


def occupation_detail(request: HttpRequest, key: str) -> HttpResponse:
    occupation = selectors.occupation_by_key(key)
    skills = selectors.skills_of(occupation)
    context = {
        "occupation": occupation,
        "essential": skills[SkillRelation.ESSENTIAL],
        "optional": skills[SkillRelation.OPTIONAL],
        "isco_group": selectors.isco_group(occupation.isco_code),
        "aligned": framework_selectors.alignments_to(request.user, [occupation.uri]),
    }
    return render(request, "esco/occupation_detail.html", context)


def _element_to_align(request: HttpRequest, data: QueryDict) -> Any:
    """The framework element named by ``framework``, ``version`` and ``element`` if the user may align it."""
    slug, version, code = (data.get(name, "").strip() for name in ("framework", "version", "element"))
    if not (slug and version and code):
        return None
    try:
        framework = framework_selectors.framework_for_user(request.user, slug, version)
        element = framework_selectors.element_in(framework, code)
    except Http404:
        return None
    if not (framework.is_editable and framework_selectors.can_edit_framework(request.user, framework)):
        return None
    return element


def suggest(request: HttpRequest) -> HttpResponse:
    """ESCO skills for ``text``; editors of a draft element (``framework``, ``version``, ``element``) may align them."""
    text = request.GET.get("text", "")[:MAX_TEXT_CHARS]
    element = _element_to_align(request, request.GET)
    aligned = {a.uri for a in element.alignments.all()} if element is not None else set()
    suggestions, notice = suggest_esco_skills_with_notice(text, limit=SUGGESTIONS)
    context = {
        "text": text,
        "suggestions": suggestions,
        "notice": notice,
        "element": element,
        "aligned_uris": aligned,
    }
    template = "esco/_suggestions.html" if _is_htmx(request) else "esco/suggest.html"
    return render(request, template, context)


@login_required
@require_POST
def align(request: HttpRequest) -> HttpResponse:
    element = _element_to_align(request, request.POST)
    if element is None:
        raise Http404
    framework = element.framework
    uri = request.POST.get("uri", "").strip()
    try:
        _alignment, created = framework_services.element_align_esco(element=element, uri=uri, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except DocumentErrors as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
    else:
        labels = selectors.labels_for_uris([uri])
        if created:
            message = _("%(element)s is now aligned to the ESCO skill “%(label)s”.")
        else:
            message = _("%(element)s was already aligned to the ESCO skill “%(label)s”.")
        messages.success(request, message % {"element": element.code, "label": labels.get(uri, uri)})
    url = reverse("frameworks:element", args=[framework.slug, element.code])
    return redirect(f"{url}?{urlencode({'version': framework.version})}")
