"""The accreditation registry: grant for a year, expiry, renewal, suspension, coverage, who may run exams."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from skills4cities.accounts.enums import OrganisationKind
from skills4cities.certification import selectors, services
from skills4cities.certification.models import Accreditation
from skills4cities.core.models import AuditEntry
from skills4cities.curriculum.models import Cohort, Course, Module
from tests import factories

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def vet(db: Any) -> Any:
    return factories.OrganisationFactory(name="Sofia VET", slug="sofia-vet", kind=OrganisationKind.VET_CENTRE)


@pytest.fixture
def all_courses(reference: Any) -> list[Course]:
    return list(Course.objects.filter(curriculum__framework=reference))


@pytest.fixture
def provider(officer: Any, vet: Any, all_courses: list[Course]) -> Accreditation:
    return services.accreditation_apply(actor=officer, kind="provider", organisation=vet, courses=all_courses)


@pytest.fixture
def trainer_application(officer: Any, alice: Any) -> Accreditation:
    return services.accreditation_apply(
        actor=officer,
        kind="trainer",
        trainer=alice,
        trainer_exam_passed=True,
        train_the_trainer_attended=True,
        experience_years=5,
    )


def _actions(accreditation: Accreditation) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(accreditation.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_grant_accredits_for_exactly_one_year(officer: Any, provider: Accreditation, vet: Any) -> None:
    assert selectors.provider_may_run_exams(vet) is False

    granted = services.accreditation_grant(actor=officer, accreditation=provider, at=timezone.now())

    assert granted.status == "accredited"
    assert granted.expires_at == selectors.add_months(granted.granted_at, 12)  # type: ignore[arg-type]
    assert granted.granted_by == officer
    assert granted.criteria["coverage"]["complete"] is True
    assert granted.criteria["coverage"]["elements"] == [52, 52]
    assert granted.criteria["coverage"]["criteria"] == [177, 177]
    assert selectors.provider_may_run_exams(vet) is True
    assert _actions(granted) == ["certification.accreditation_applied", "certification.accreditation_granted"]


def test_an_accreditation_expires_after_a_year(officer: Any, provider: Accreditation, vet: Any) -> None:
    granted = services.accreditation_grant(actor=officer, accreditation=provider, at=T0)
    expiry = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)

    assert granted.expires_at == expiry
    assert granted.is_current(expiry - datetime.timedelta(seconds=1)) is True
    assert granted.is_current(expiry) is False
    assert [a.pk for a in selectors.accredited_list(at=expiry - datetime.timedelta(seconds=1))] == [granted.pk]
    assert selectors.accredited_list(at=expiry) == []


def test_expired_accreditations_cannot_run_exams_and_are_marked(
    officer: Any, provider: Accreditation, vet: Any
) -> None:
    past = timezone.now() - datetime.timedelta(days=400)
    services.accreditation_grant(actor=officer, accreditation=provider, at=past)

    assert selectors.provider_may_run_exams(vet) is False
    provider.refresh_from_db()
    assert provider.effective_status == "expired"
    assert services.accreditations_expire() == 1
    provider.refresh_from_db()
    assert provider.status == "expired"
    assert services.accreditations_expire() == 0


def test_renewal_in_time_extends_from_the_old_expiry(officer: Any, provider: Accreditation) -> None:
    services.accreditation_grant(actor=officer, accreditation=provider, at=T0)
    renewed = services.accreditation_renew(
        actor=officer, accreditation=provider, at=datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC)
    )

    assert renewed.expires_at == datetime.datetime(2028, 3, 10, 9, 0, tzinfo=datetime.UTC)
    assert _actions(renewed)[-1] == "certification.accreditation_renewed"


def test_renewal_after_it_lapsed_runs_from_the_renewal(officer: Any, provider: Accreditation, vet: Any) -> None:
    services.accreditation_grant(
        actor=officer, accreditation=provider, at=timezone.now() - datetime.timedelta(days=500)
    )
    services.accreditations_expire()
    provider.refresh_from_db()

    now = timezone.now()
    renewed = services.accreditation_renew(actor=officer, accreditation=provider, at=now)

    assert (renewed.status, renewed.expires_at) == ("accredited", selectors.add_months(now, 12))
    assert selectors.provider_may_run_exams(vet) is True


def test_suspension_stops_exams_at_once_and_needs_a_reason(officer: Any, provider: Accreditation, vet: Any) -> None:
    services.accreditation_grant(actor=officer, accreditation=provider)

    with pytest.raises(ValidationError) as refused:
        services.accreditation_suspend(actor=officer, accreditation=provider, reason="  ")
    assert refused.value.messages == ["Give the reason for the suspension."]
    assert selectors.provider_may_run_exams(vet) is True

    suspended = services.accreditation_suspend(actor=officer, accreditation=provider, reason="Material outdated")

    assert (suspended.status, suspended.reason) == ("suspended", "Material outdated")
    assert selectors.provider_may_run_exams(vet) is False
    assert selectors.accredited_list() == []
    assert AuditEntry.objects.get(action="certification.accreditation_suspended").data == {
        "reason": "Material outdated"
    }
    with pytest.raises(ValidationError):
        services.accreditation_renew(actor=officer, accreditation=suspended)
    regranted = services.accreditation_grant(actor=officer, accreditation=suspended)
    assert (regranted.status, regranted.reason) == ("accredited", "")


def test_a_current_accreditation_is_renewed_not_granted_again(officer: Any, provider: Accreditation) -> None:
    services.accreditation_grant(actor=officer, accreditation=provider)
    with pytest.raises(ValidationError) as refused:
        services.accreditation_grant(actor=officer, accreditation=provider)
    assert refused.value.messages == ["This accreditation is already current; renew it instead."]


def test_grant_is_refused_when_the_material_does_not_cover_the_framework(
    officer: Any, vet: Any, reference: Any
) -> None:
    c1 = Course.objects.get(curriculum__framework=reference, code="C1")
    application = services.accreditation_apply(actor=officer, kind="provider", organisation=vet, courses=[c1])
    coverage = selectors.provider_coverage(vet, application)
    assert coverage.complete is False

    with pytest.raises(ValidationError) as refused:
        services.accreditation_grant(actor=officer, accreditation=application)

    assert refused.value.messages == [
        "The material does not cover every unit, element and criterion: "
        f"{len(coverage.uncovered_units)} units, {len(coverage.uncovered_elements)} elements and "
        f"{len(coverage.uncovered_criteria)} criteria are not covered."
    ]
    application.refresh_from_db()
    assert (application.status, application.granted_at) == ("applied", None)


def test_a_provider_with_no_course_is_refused(officer: Any, vet: Any, reference: Any) -> None:
    application = services.accreditation_apply(actor=officer, kind="provider", organisation=vet)
    with pytest.raises(ValidationError) as refused:
        services.accreditation_grant(actor=officer, accreditation=application)
    assert refused.value.messages == ["The provider offers no course of the curriculum."]


def test_coverage_names_the_units_elements_and_criteria_not_covered(reference: Any) -> None:
    modules = list(Module.objects.filter(curriculum__framework=reference).prefetch_related("outcomes"))
    covered_by_m01 = {o.element.code for o in modules[0].outcomes.select_related("element")}
    dropped = [
        m for m in modules if not ({o.element.code for o in m.outcomes.select_related("element")} - covered_by_m01)
    ]
    # Take away every module that teaches an element of U01: those elements become uncovered.
    u01 = set(reference.elements.filter(unit__code="U01").values_list("code", flat=True))
    kept = [m for m in modules if not ({o.element.code for o in m.outcomes.all().select_related("element")} & u01)]
    assert dropped  # the reference curriculum overlaps

    coverage = selectors.material_coverage(kept, reference)

    assert {e.code for e in coverage.uncovered_elements} == u01
    assert [u.code for u in coverage.uncovered_units] == ["U01"]
    assert {c.element.code for c in coverage.uncovered_criteria} == u01
    assert len(coverage.uncovered_criteria) == reference.criteria.filter(element__unit__code="U01").count()
    assert coverage.complete is False
    assert selectors.material_coverage(modules, reference).complete is True


def test_cohorts_of_the_provider_count_as_offered_courses(vet: Any, reference: Any, alice: Any) -> None:
    c2 = Course.objects.get(curriculum__framework=reference, code="C2")
    Cohort.objects.create(
        course=c2, organisation=vet, trainer=alice, name="Spring", start_date=datetime.date(2026, 3, 2)
    )

    assert {m.code for m in selectors.provider_modules(vet)} == set(c2.modules.values_list("code", flat=True))


def test_trainer_criteria_are_checked_and_named(officer: Any, alice: Any, settings: Any) -> None:
    settings.CERTIFICATION_TRAINER_MIN_EXPERIENCE_YEARS = 3
    application = services.accreditation_apply(actor=officer, kind="trainer", trainer=alice, experience_years=2)

    with pytest.raises(ValidationError) as refused:
        services.accreditation_grant(actor=officer, accreditation=application)

    assert refused.value.messages == [
        "The trainer exam has not been passed.",
        "The train-the-trainer course has not been attended.",
        "At least 3 years of experience are required (recorded: 2).",
    ]
    assert selectors.trainer_may_run_exams(alice) is False


def test_an_accredited_trainer_may_run_exams(
    officer: Any, trainer_application: Accreditation, alice: Any, bob: Any
) -> None:
    granted = services.accreditation_grant(actor=officer, accreditation=trainer_application)

    assert granted.criteria == {
        "trainer_exam_passed": True,
        "train_the_trainer_attended": True,
        "experience_years": 5,
        "min_experience_years": 3,
    }
    assert selectors.trainer_may_run_exams(alice) is True
    assert selectors.trainer_may_run_exams(bob) is False


def test_only_officers_manage_the_registry(alice: Any, vet: Any, unchanged_database: Any) -> None:
    with unchanged_database(), pytest.raises(PermissionDenied):
        services.accreditation_apply(actor=alice, kind="provider", organisation=vet)


def test_one_application_per_provider_is_updated_not_duplicated(
    officer: Any, vet: Any, provider: Accreditation
) -> None:
    again = services.accreditation_apply(actor=officer, kind="provider", organisation=vet)

    assert again.pk == provider.pk
    assert Accreditation.objects.count() == 1
    assert list(again.courses.all()) == []


def test_bad_applications_are_refused(officer: Any, vet: Any, alice: Any) -> None:
    with pytest.raises(ValidationError):
        services.accreditation_apply(actor=officer, kind="provider", trainer=alice)
    with pytest.raises(ValidationError):
        services.accreditation_apply(actor=officer, kind="trainer", organisation=vet)
    with pytest.raises(ValidationError):
        services.accreditation_apply(actor=officer, kind="school", organisation=vet)
    assert Accreditation.objects.count() == 0


def test_provider_may_run_exams_is_false_for_nothing(db: Any) -> None:
    assert selectors.provider_may_run_exams(None) is False


def test_public_list_puts_providers_first(
    officer: Any, provider: Accreditation, trainer_application: Accreditation, django_assert_max_num_queries: Any
) -> None:
    services.accreditation_grant(actor=officer, accreditation=trainer_application)
    services.accreditation_grant(actor=officer, accreditation=provider)

    with django_assert_max_num_queries(1):
        listed = [(a.kind, str(a.holder)) for a in selectors.accredited_list()]

    assert listed == [("provider", "Sofia VET"), ("trainer", "alice")]
