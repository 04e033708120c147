"""Curriculum pages: the courses with their modules, and a module with its study page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from skills4cities.curriculum import selectors
from skills4cities.curriculum.rendering import render_markdown

REFERENCE_FRAMEWORK = "skills4cities"


def index(request: HttpRequest) -> HttpResponse:
    curriculum = selectors.current_curriculum(REFERENCE_FRAMEWORK)
    courses = selectors.courses_with_modules(curriculum) if curriculum else []
    return render(request, "curriculum/index.html", {"curriculum": curriculum, "courses": courses})


def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    curriculum = selectors.current_curriculum(REFERENCE_FRAMEWORK)
    if curriculum is None:
        return render(request, "curriculum/index.html", {"curriculum": None, "courses": []}, status=404)
    module = selectors.module_in(curriculum, code)
    language = (get_language() or "en").split("-")[0]
    context = {
        "curriculum": curriculum,
        "module": module,
        "study": render_markdown(module.study),
        # Study pages may exist only in English: say so to screen readers and browsers.
        "study_language": language if getattr(module, f"study_{language}", "") else "en",
    }
    return render(request, "curriculum/module_detail.html", context)
