"""The shipped reference content meets the minimums the project promises."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db.models import Count

from skills4cities.esco.models import EscoOccupation, EscoSkill
from skills4cities.frameworks.enums import AlignmentTarget, StatementKind
from skills4cities.frameworks.models import Alignment, Element, Framework, Role

ROLE_SLUGS = {
    "smart-city-project-developer",
    "smart-city-project-management-consultant",
    "smart-city-project-manager",
}

pytestmark = pytest.mark.django_db


def test_reference_framework_has_exactly_the_three_roles(reference: Framework) -> None:
    assert set(reference.roles.values_list("slug", flat=True)) == ROLE_SLUGS


def test_every_role_has_an_eqf_level_and_at_least_six_units(reference: Framework) -> None:
    for role in reference.roles.all():
        assert 1 <= role.eqf_level <= 8
        units = set(role.requirements.values_list("element__unit__code", flat=True))
        assert len(units) >= 6, role.slug
        assert role.tasks.count() >= 5, role.slug


def test_every_unit_has_three_elements_and_every_element_two_criteria_and_ksa(reference: Framework) -> None:
    assert reference.units.count() >= 6
    for unit in reference.units.annotate(n=Count("elements")):
        assert unit.n >= 3, unit.code
    for element in reference.elements.prefetch_related("statements", "criteria"):
        assert element.criteria.count() >= 2, element.code
        kinds = {statement.kind for statement in element.statements.all()}
        assert kinds == {StatementKind.KNOWLEDGE, StatementKind.SKILL, StatementKind.ATTITUDE}, element.code


def test_every_role_requires_every_element_of_its_units_with_a_target_on_the_scale(
    reference: Framework,
) -> None:
    scale = set(reference.scale.levels.values_list("value", flat=True))
    for role in reference.roles.all():
        units = set(role.requirements.values_list("element__unit_id", flat=True))
        required = set(role.requirements.values_list("element_id", flat=True))
        assert required == set(Element.objects.filter(unit_id__in=units).values_list("id", flat=True))
        assert set(role.requirements.values_list("target_level", flat=True)) <= scale


def test_at_least_90_percent_of_elements_are_aligned_to_esco_skills(reference: Framework) -> None:
    elements = reference.elements.count()
    aligned = reference.elements.filter(alignments__target=AlignmentTarget.ESCO_SKILL).distinct().count()
    assert aligned / elements >= 0.9


def test_every_esco_alignment_names_a_concept_in_the_shipped_esco_data(reference: Framework) -> None:
    skills = set(
        Alignment.objects.filter(framework=reference, target=AlignmentTarget.ESCO_SKILL).values_list("uri", flat=True)
    )
    occupations = set(
        Alignment.objects.filter(framework=reference, target=AlignmentTarget.ESCO_OCCUPATION).values_list(
            "uri", flat=True
        )
    )
    assert skills and occupations
    assert skills <= set(EscoSkill.objects.filter(uri__in=skills).values_list("uri", flat=True))
    assert occupations <= set(EscoOccupation.objects.filter(uri__in=occupations).values_list("uri", flat=True))


def test_esco_labels_recorded_in_alignments_match_the_esco_preferred_labels(reference: Framework) -> None:
    alignments = Alignment.objects.filter(framework=reference, target=AlignmentTarget.ESCO_SKILL)
    labels = dict(EscoSkill.objects.filter(uri__in=alignments.values("uri")).values_list("uri", "preferred_label"))
    mismatches = {(a.uri, a.label) for a in alignments if a.label and a.label != labels[a.uri]}
    assert mismatches == set()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_names_and_short_descriptions_exist_in_every_language(reference: Framework, language: str) -> None:
    def missing(queryset: Any, *fields: str) -> list[str]:
        return [str(obj) for obj in queryset for name in fields if not getattr(obj, f"{name}_{language}")]

    assert missing(Framework.objects.filter(pk=reference.pk), "title", "description") == []
    assert missing(Role.objects.filter(framework=reference), "title", "summary", "mission") == []
    assert missing(reference.units.all(), "title", "description") == []
    assert missing(reference.elements.all(), "title", "description") == []
    assert missing(reference.scale.levels.all(), "name", "description") == []


def test_role_names_differ_from_english_in_every_other_language(reference: Framework) -> None:
    for role in reference.roles.all():
        for language in ("bg", "ro", "el", "es", "de"):
            assert getattr(role, f"title_{language}") != role.title_en, (role.slug, language)
