"""Officer pages (rules, candidates, issuing, registry), the learner's page and the public list: access and behaviour."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from skills4cities.accounts.enums import MemberRole, OrganisationKind
from skills4cities.certification import selectors, services
from skills4cities.certification.models import Accreditation, AttendanceRecord, CertificationRule, ExperienceRecord
from skills4cities.core.models import AuditEntry
from skills4cities.curriculum.models import Course
from tests import factories
from tests.certification.conftest import MANAGER, Evidence, role_element_codes, unit_element_codes
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_officer(city: Any) -> Any:
    """A certification officer of the city (alice's organisation); charlie is in another organisation."""
    user = factories.UserFactory(username="olivia")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.CERTIFICATION_OFFICER)
    return user


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand-in for ``credentials.services.credential_issue`` (signing is tested in the credentials app)."""
    from skills4cities.credentials import services as credential_services

    calls: list[dict[str, Any]] = []

    def fake_issue(**kwargs: Any) -> str:
        calls.append(kwargs)
        return "credential"

    monkeypatch.setattr(credential_services, "credential_issue", fake_issue)
    return calls


def warm(client: Any) -> Any:
    """One request first: the session and per-session caches of the layout are then in place."""
    client.get(reverse("certification:accredited"))
    return client


OFFICER_PAGES = ["certification:index", "certification:candidates", "certification:registry"]


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officer_pages_are_for_officers_only(name: str, city_officer: Any, alice: Any, bob: Any) -> None:
    url = reverse(name)
    assert client_for(city_officer).get(url).status_code == 200
    assert client_for(alice).get(url).status_code == 404
    assert client_for(bob).get(url).status_code == 404  # an organisation admin is not a certification officer
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_rules_page_lists_every_role_with_defaults(
    reference: Any, city_officer: Any, django_assert_max_num_queries: Any
) -> None:
    client = warm(client_for(city_officer))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("certification:index"))
    rows = [r.slug for r, _rule in response.context["rules"]]
    assert rows == [
        "smart-city-project-developer",
        "smart-city-project-management-consultant",
        "smart-city-project-manager",
    ]
    assert b"defaults" in response.content


def test_officer_edits_a_rule(reference: Any, city_officer: Any) -> None:
    url = reverse("certification:rule", args=[MANAGER])
    data = {
        "accept_exam": "on",
        "accept_assessor": "on",
        "min_experience_months": "24",
        "min_training_hours": "40",
        "validity_months": "36",
        "renewal_cpd_hours": "20",
    }
    response = client_for(city_officer).post(url, data)

    assert response.status_code == 302
    rule = CertificationRule.objects.get(role_slug=MANAGER)
    assert (rule.min_experience_months, rule.min_training_hours, rule.include_optional_units, rule.updated_by) == (
        24,
        40,
        False,
        city_officer,
    )
    entry = AuditEntry.objects.get(action="certification.rule_created")
    assert entry.actor == city_officer
    assert entry.data["changes"]["min_experience_months"] == [0, 24]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"validity_months": "36"}, "At least one kind of evidence (exam or assessor decision) must count."),
        ({"accept_exam": "on", "validity_months": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"accept_exam": "on", "validity_months": "36", "min_training_hours": "-3"}, "Ensure this value is greater"),
        ({"accept_exam": "on", "validity_months": "abc"}, "Enter a whole number."),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_changes(
    reference: Any, city_officer: Any, data: dict[str, str], message: str, unchanged_database: Any
) -> None:
    defaults = {"min_experience_months": "0", "min_training_hours": "0", "renewal_cpd_hours": "0"}
    with unchanged_database():
        response = client_for(city_officer).post(reverse("certification:rule", args=[MANAGER]), defaults | data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_role_rule_page_is_404(reference: Any, city_officer: Any) -> None:
    assert client_for(city_officer).get(reverse("certification:rule", args=["astronaut"])).status_code == 404


def test_candidates_are_the_learners_of_the_officers_organisations(
    reference: Any, city_officer: Any, alice: Any, charlie: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *role_element_codes(reference, MANAGER))
    response = client_for(city_officer).get(reverse("certification:candidates"))

    rows = response.context["rows"]
    assert [person.username for person, _results in rows] == ["alice"]
    assert [(role.slug, result.met) for role, result in rows[0][1]] == [
        ("smart-city-project-developer", False),
        ("smart-city-project-management-consultant", False),
        ("smart-city-project-manager", True),
    ]
    assert client_for(city_officer).get(reverse("certification:candidate", args=[charlie.public_id])).status_code == 404


def test_candidate_list_queries_are_bounded(
    reference: Any, city: Any, city_officer: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        learner = factories.UserFactory(username=f"learner{n:02}")
        factories.MembershipFactory(user=learner, organisation=city, role=MemberRole.LEARNER)
    # A fixed number (session, user, officer check, page, roles, rules, requirements, units, elements, records)
    # plus the exams' and validation's evidence: one query each per person.
    client = warm(client_for(city_officer))
    with django_assert_max_num_queries(14 + 2 * 12):
        response = client.get(reverse("certification:candidates"))
    assert len(response.context["rows"]) == 12


def test_candidate_page_shows_missing_and_issue_buttons_only_when_met(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence, django_assert_max_num_queries: Any
) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    client = warm(client_for(city_officer))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("certification:candidate", args=[alice.public_id]))
    html = response.content.decode()

    assert response.status_code == 200
    assert 'data-testid="issue-unit-U08"' in html
    assert 'data-testid="issue-unit-U04"' not in html
    assert 'data-testid="issue-role-smart-city-project-manager"' not in html
    assert (
        "Element U04.E1 Plan the procurement strategy and procedure: not passed by exam nor validated by an assessor"
        in html
    )


def test_issue_is_refused_with_the_missing_requirements(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence, issued: list[dict[str, Any]]
) -> None:
    evidence.validate(alice, *role_element_codes(reference, MANAGER)[1:])
    url = reverse("certification:candidate-issue", args=[alice.public_id])

    response = client_for(city_officer).post(url, {"role": MANAGER}, follow=True)

    assert issued == []
    assert "The credential was not issued: Element U04.E1 Plan the procurement strategy" in response.content.decode()
    assert not AuditEntry.objects.filter(action="certification.certificate_issued").exists()


def test_issue_calls_the_credentials_app_when_met(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence, issued: list[dict[str, Any]]
) -> None:
    evidence.validate(alice, *role_element_codes(reference, MANAGER))
    url = reverse("certification:candidate-issue", args=[alice.public_id])

    response = client_for(city_officer).post(url, {"role": MANAGER}, follow=True)

    assert "The credential has been issued." in response.content.decode()
    assert len(issued) == 1
    call = issued[0]
    assert (call["holder"], call["kind"], call["role"].slug, call["unit"], call["issued_by"]) == (
        alice,
        "role",
        MANAGER,
        None,
        city_officer,
    )
    optional = sorted(
        set(role_element_codes(reference, MANAGER, essential_only=False)) - set(role_element_codes(reference, MANAGER))
    )
    assert optional == ["U03.E1", "U03.E2", "U03.E3", "U03.E4"]
    assert call["element_evidence"] == {
        **dict.fromkeys(role_element_codes(reference, MANAGER), "assessor"),
        **dict.fromkeys(optional, "optional unit, not required for this certificate"),
    }
    months = (call["valid_until"].year - datetime.datetime.now(tz=datetime.UTC).year) * 12
    assert months in {36, 24 + 12}
    assert AuditEntry.objects.get(action="certification.certificate_issued").actor == city_officer


def test_unit_micro_credential_is_issued_for_the_unit(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence, issued: list[dict[str, Any]]
) -> None:
    evidence.pass_exam(alice, *unit_element_codes(reference, "U08"))
    url = reverse("certification:candidate-issue", args=[alice.public_id])

    client_for(city_officer).post(url, {"role": MANAGER, "unit": "U08"})

    assert [(c["kind"], c["unit"].code) for c in issued] == [("unit", "U08")]


def test_outsiders_cannot_issue(
    reference: Any, alice: Any, charlie: Any, city_officer: Any, evidence: Evidence, issued: list[dict[str, Any]]
) -> None:
    evidence.validate(alice, *role_element_codes(reference, MANAGER))
    evidence.validate(charlie, *role_element_codes(reference, MANAGER))
    assert (
        client_for(alice)
        .post(reverse("certification:candidate-issue", args=[alice.public_id]), {"role": MANAGER})
        .status_code
        == 404
    )
    assert (
        client_for(city_officer)
        .post(reverse("certification:candidate-issue", args=[charlie.public_id]), {"role": MANAGER})
        .status_code
        == 404
    )
    assert issued == []


def test_officer_records_experience_and_attendance(reference: Any, city_officer: Any, alice: Any) -> None:
    client = client_for(city_officer)
    base = [alice.public_id]
    ok = client.post(
        reverse("certification:candidate-experience", args=base),
        {"description": "Smart lighting", "employer": "Sofia", "months": "18"},
    )
    module = Course.objects.get(curriculum__framework=reference, code="C2").modules.first()
    assert module is not None
    ok2 = client.post(
        reverse("certification:candidate-attendance", args=base),
        {"module": module.pk, "hours": "10", "attended_on": "2026-04-01"},
    )

    assert (ok.status_code, ok2.status_code) == (302, 302)
    assert list(ExperienceRecord.objects.values_list("user__username", "months", "verified_by__username")) == [
        ("alice", 18, "olivia")
    ]
    assert list(AttendanceRecord.objects.values_list("user__username", "module__code", "hours")) == [
        ("alice", module.code, 10)
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hours": "10", "attended_on": "2026-04-01"}, "Name the module or the training that was attended."),
        (
            {"title": "Workshop", "hours": "0", "attended_on": "2026-04-01"},
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"title": "Workshop", "hours": "5", "attended_on": "2999-01-01"}, "The date cannot be in the future."),
    ],
)
def test_bad_attendance_is_refused(
    reference: Any, city_officer: Any, alice: Any, data: dict[str, str], message: str, unchanged_database: Any
) -> None:
    with unchanged_database():
        response = client_for(city_officer).post(
            reverse("certification:candidate-attendance", args=[alice.public_id]), data
        )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_bad_experience_is_refused(reference: Any, city_officer: Any, alice: Any, unchanged_database: Any) -> None:
    with unchanged_database():
        response = client_for(city_officer).post(
            reverse("certification:candidate-experience", args=[alice.public_id]), {"description": "", "months": "0"}
        )
    assert response.status_code == 400


def test_learner_page_shows_own_eligibility(
    reference: Any, alice: Any, evidence: Evidence, django_assert_max_num_queries: Any
) -> None:
    evidence.pass_exam(alice, *unit_element_codes(reference, "U08"))
    client = warm(client_for(alice))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("certification:me"))
    html = response.content.decode()

    assert response.status_code == 200
    overview = {entry.role.slug: entry for entry in response.context["overview"]}
    manager = overview[MANAGER]
    assert manager.role_result.met is False
    assert [(spec.unit.code, spec.essential, result.met) for spec, result, _held in manager.units][:2] == [
        ("U03", False, False),
        ("U04", True, False),
    ]
    assert {spec.unit.code: result.met for spec, result, _held in manager.units}["U08"] is True
    assert manager.role_held is None
    assert "Issue" not in html.replace("Issued", "")  # no issue buttons on the learner's own page
    assert "not passed by exam nor validated by an assessor" in html


def test_learner_page_needs_sign_in(db: Any) -> None:
    from django.test import Client

    assert Client().get(reverse("certification:me")).status_code == 302


# Registry pages


@pytest.fixture
def vet(db: Any) -> Any:
    return factories.OrganisationFactory(name="Sofia VET", slug="sofia-vet", kind=OrganisationKind.VET_CENTRE)


def test_officer_records_an_application_and_grants_it(reference: Any, city_officer: Any, vet: Any) -> None:
    client = client_for(city_officer)
    courses = Course.objects.filter(curriculum__framework=reference)
    response = client.post(
        reverse("certification:registry"),
        {
            "kind": "provider",
            "organisation": vet.public_id,
            "courses": [c.public_id for c in courses],
            "experience_years": "0",
        },
    )
    accreditation = Accreditation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:accreditation", args=[accreditation.public_id])

    detail = client.get(response["Location"])
    assert 'data-testid="criteria-met"' in detail.content.decode()
    client.post(reverse("certification:accreditation-action", args=[accreditation.public_id, "grant"]))
    accreditation.refresh_from_db()
    assert accreditation.status == "accredited"
    assert selectors.provider_may_run_exams(vet) is True

    client.post(
        reverse("certification:accreditation-action", args=[accreditation.public_id, "suspend"]), {"reason": ""}
    )
    accreditation.refresh_from_db()
    assert accreditation.status == "accredited"
    client.post(
        reverse("certification:accreditation-action", args=[accreditation.public_id, "suspend"]), {"reason": "Audit"}
    )
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.reason) == ("suspended", "Audit")


def test_registry_shows_what_the_material_does_not_cover(reference: Any, city_officer: Any, vet: Any) -> None:
    c1 = Course.objects.get(curriculum__framework=reference, code="C1")
    item = services.accreditation_apply(actor=city_officer, kind="provider", organisation=vet, courses=[c1])

    response = client_for(city_officer).get(reverse("certification:accreditation", args=[item.public_id]))
    html = response.content.decode()

    coverage = response.context["coverage"]
    assert coverage.uncovered_elements
    assert 'data-testid="uncovered"' in html
    assert coverage.uncovered_elements[0].code in html
    grant = client_for(city_officer).post(
        reverse("certification:accreditation-action", args=[item.public_id, "grant"]), follow=True
    )
    assert "The material does not cover every unit, element and criterion" in grant.content.decode()
    item.refresh_from_db()
    assert item.status == "applied"


def test_trainer_application_names_an_existing_user(reference: Any, city_officer: Any, unchanged_database: Any) -> None:
    with unchanged_database():
        response = client_for(city_officer).post(
            reverse("certification:registry"), {"kind": "trainer", "trainer": "nobody", "experience_years": "4"}
        )
    assert response.status_code == 400
    assert "There is no user with this user name." in response.content.decode()


def test_registry_actions_are_for_officers_only(reference: Any, city_officer: Any, alice: Any, vet: Any) -> None:
    item = services.accreditation_apply(actor=city_officer, kind="provider", organisation=vet)
    assert client_for(alice).get(reverse("certification:accreditation", args=[item.public_id])).status_code == 404
    assert (
        client_for(alice)
        .post(reverse("certification:accreditation-action", args=[item.public_id, "grant"]))
        .status_code
        == 404
    )
    assert (
        client_for(city_officer)
        .post(reverse("certification:accreditation-action", args=[item.public_id, "explode"]))
        .status_code
        == 404
    )


def test_public_list_shows_only_current_accreditations(
    reference: Any, city_officer: Any, vet: Any, alice: Any, bob: Any, django_assert_max_num_queries: Any
) -> None:
    courses = list(Course.objects.filter(curriculum__framework=reference))
    provider = services.accreditation_apply(actor=city_officer, kind="provider", organisation=vet, courses=courses)
    services.accreditation_grant(actor=city_officer, accreditation=provider)
    for user in (alice, bob):
        application = services.accreditation_apply(
            actor=city_officer, kind="trainer", trainer=user, trainer_exam_passed=True,
            train_the_trainer_attended=True, experience_years=4,
        )  # fmt: skip
        services.accreditation_grant(actor=city_officer, accreditation=application)
    services.accreditation_suspend(
        actor=city_officer, accreditation=Accreditation.objects.get(trainer=bob), reason="Complaint"
    )
    from django.test import Client

    client = warm(Client())
    with django_assert_max_num_queries(4):
        response = client.get(reverse("certification:accredited"))

    assert [a.organisation.name for a in response.context["providers"]] == ["Sofia VET"]
    assert [a.trainer.username for a in response.context["trainers"]] == ["alice"]


def test_issuing_for_real_writes_a_credential_shown_on_the_candidate_page(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence
) -> None:
    """The credentials app signs for real here; the validity comes from the rule."""
    from skills4cities.credentials.models import Credential

    services.rule_save(actor=city_officer, role_slug=MANAGER, validity_months=24)
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    client = client_for(city_officer)

    response = client.post(
        reverse("certification:candidate-issue", args=[alice.public_id]), {"role": MANAGER, "unit": "U08"}, follow=True
    )

    credential = Credential.objects.get(holder=alice)
    assert (credential.kind, credential.unit.code, credential.issued_by) == ("unit", "U08", city_officer)  # type: ignore[union-attr]
    assert credential.valid_until is not None
    assert (credential.valid_until - credential.issued_at).days in range(730, 733)
    assert 'data-testid="held"' in response.content.decode()
    assert str(credential.public_id) in response.content.decode()


def test_registry_pages_queries_are_bounded(
    reference: Any, city_officer: Any, django_assert_max_num_queries: Any
) -> None:
    courses = list(Course.objects.filter(curriculum__framework=reference))
    for n in range(6):
        organisation = factories.OrganisationFactory(slug=f"vet-{n}", name=f"VET {n}", kind=OrganisationKind.VET_CENTRE)
        services.accreditation_apply(actor=city_officer, kind="provider", organisation=organisation, courses=courses)
    client = warm(client_for(city_officer))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("certification:registry"))
    assert len(response.context["accreditations"]) == 6
    item = Accreditation.objects.first()
    assert item is not None
    with django_assert_max_num_queries(16):
        detail = client.get(reverse("certification:accreditation", args=[item.public_id]))
    assert detail.context["coverage"].complete is True
