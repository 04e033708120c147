"""Writes of the certification body: rules, verified records, accreditations, issuing through ``credentials``.

Every service is keyword-only, atomic, checks who acts and writes an audit entry.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from skills4cities.accounts.enums import MemberRole
from skills4cities.certification import selectors
from skills4cities.certification.enums import AccreditationKind, AccreditationStatus, EligibilityKind
from skills4cities.certification.models import (
    Accreditation,
    AttendanceRecord,
    CertificationRule,
    ExperienceRecord,
)
from skills4cities.core.audit import audit

ACCREDITATION_MONTHS = 12
RULE_FIELDS = (
    "accept_exam",
    "accept_assessor",
    "include_optional_units",
    "min_experience_months",
    "min_training_hours",
    "validity_months",
    "renewal_cpd_hours",
)


def _require_officer(actor: Any) -> None:
    if actor is not None and not selectors.is_certification_officer(actor):
        raise PermissionDenied(_("Only a certification officer may do this."))


def _has_role(actor: Any, roles: set[str]) -> bool:
    if actor is None:
        return True  # management commands and the demo seed act as the system
    if getattr(actor, "is_superuser", False):
        return True
    return bool(actor.memberships.filter(role__in=roles).exists())


# --------------------------------------------------------------------------------------------------
# Rules


@transaction.atomic
def rule_save(*, actor: Any, role_slug: str, **values: Any) -> CertificationRule:
    """Create or change the rule of a role; only the fields in ``RULE_FIELDS`` are accepted."""
    _require_officer(actor)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rule fields: {sorted(unknown)}")
    if selectors.current_role(role_slug) is None:
        raise ValidationError(_("There is no published job role “%(role)s”.") % {"role": role_slug})
    rule = CertificationRule.objects.select_for_update().filter(role_slug=role_slug).first()
    created = rule is None
    if rule is None:
        rule = CertificationRule(role_slug=role_slug)
    before = {name: getattr(rule, name) for name in RULE_FIELDS}
    for name, value in values.items():
        setattr(rule, name, value)
    if not rule.accept_exam and not rule.accept_assessor:
        raise ValidationError(_("At least one kind of evidence (exam or assessor decision) must count."))
    rule.full_clean(exclude=["updated_by"])
    rule.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    rule.save()
    after = {name: getattr(rule, name) for name in RULE_FIELDS}
    changes = {name: [before[name], after[name]] for name in RULE_FIELDS if before[name] != after[name]}
    if created or changes:
        audit(
            actor=actor,
            action="certification.rule_created" if created else "certification.rule_changed",
            obj=rule,
            data={"role": role_slug, "changes": changes},
        )
    return rule


# --------------------------------------------------------------------------------------------------
# Records the rules read


@transaction.atomic
def experience_record(*, actor: Any, user: Any, months: int, description: str, employer: str = "") -> ExperienceRecord:
    """Record project experience as verified by ``actor`` (an assessor or a certification officer)."""
    if actor is None or not _has_role(actor, {MemberRole.ASSESSOR, MemberRole.CERTIFICATION_OFFICER}):
        raise PermissionDenied(_("Only an assessor or a certification officer may verify experience."))
    record = ExperienceRecord(
        user=user, months=months, description=description.strip(), employer=employer.strip(), verified_by=actor
    )
    record.full_clean()
    record.save()
    audit(
        actor=actor,
        action="certification.experience_verified",
        obj=record,
        data={"user": str(user.public_id), "months": months},
    )
    return record


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    user: Any,
    hours: int,
    attended_on: datetime.date,
    module: Any = None,
    course: Any = None,
    title: str = "",
) -> AttendanceRecord:
    """Record attended training (a module of a course, or other training named by ``title``)."""
    if actor is None or not _has_role(actor, {MemberRole.TRAINER, MemberRole.CERTIFICATION_OFFICER}):
        raise PermissionDenied(_("Only a trainer or a certification officer may record attendance."))
    if module is not None and course is not None and not course.modules.filter(pk=module.pk).exists():
        raise ValidationError(
            _("The module %(module)s is not part of the course %(course)s.")
            % {
                "module": module.code,
                "course": course.code,
            }
        )
    record = AttendanceRecord(
        user=user,
        hours=hours,
        attended_on=attended_on,
        module=module,
        course=course,
        title=title.strip(),
        recorded_by=actor,
    )
    if module is None and not record.title:
        raise ValidationError(_("Name the module or the training that was attended."))
    record.full_clean()
    record.save()
    audit(
        actor=actor,
        action="certification.attendance_recorded",
        obj=record,
        data={"user": str(user.public_id), "hours": hours},
    )
    return record


# --------------------------------------------------------------------------------------------------
# Accreditation registry


@transaction.atomic
def accreditation_apply(
    *,
    actor: Any,
    kind: str,
    organisation: Any = None,
    trainer: Any = None,
    courses: Any = (),
    trainer_exam_passed: bool = False,
    train_the_trainer_attended: bool = False,
    experience_years: int = 0,
) -> Accreditation:
    """Open (or update) the application of a provider or a trainer; the officer then grants it."""
    _require_officer(actor)
    if kind == AccreditationKind.PROVIDER:
        if organisation is None or trainer is not None:
            raise ValidationError(_("A provider accreditation names an organisation."))
        accreditation = Accreditation.objects.filter(kind=kind, organisation=organisation).first()
    elif kind == AccreditationKind.TRAINER:
        if trainer is None or organisation is not None:
            raise ValidationError(_("A trainer accreditation names a person."))
        accreditation = Accreditation.objects.filter(kind=kind, trainer=trainer).first()
    else:
        raise ValidationError(_("Unknown kind of accreditation."))
    created = accreditation is None
    if accreditation is None:
        accreditation = Accreditation(kind=kind, organisation=organisation, trainer=trainer)
    accreditation.trainer_exam_passed = trainer_exam_passed
    accreditation.train_the_trainer_attended = train_the_trainer_attended
    accreditation.experience_years = experience_years
    accreditation.full_clean(exclude=["courses"])
    accreditation.save()
    if kind == AccreditationKind.PROVIDER:
        accreditation.courses.set(list(courses))
    audit(
        actor=actor,
        action="certification.accreditation_applied" if created else "certification.accreditation_updated",
        obj=accreditation,
        data={"kind": kind, "holder": str(accreditation.holder)},
    )
    return accreditation


def accreditation_criteria(
    accreditation: Accreditation, coverage: selectors.Coverage | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The criteria as checked now and the sentences naming those not met (``coverage`` when already computed)."""
    if accreditation.kind == AccreditationKind.PROVIDER:
        if coverage is None:
            coverage = selectors.provider_coverage(accreditation.organisation, accreditation)
        missing: list[str] = []
        if not coverage.modules:
            missing.append(_("The provider offers no course of the curriculum."))
        elif not coverage.complete:
            missing.append(
                _(
                    "The material does not cover every unit, element and criterion: "
                    "%(units)d units, %(elements)d elements and %(criteria)d criteria are not covered."
                )
                % {
                    "units": len(coverage.uncovered_units),
                    "elements": len(coverage.uncovered_elements),
                    "criteria": len(coverage.uncovered_criteria),
                }
            )
        return {"coverage": coverage.as_json()}, missing
    missing = selectors.trainer_criteria_missing(accreditation)
    criteria = {
        "trainer_exam_passed": accreditation.trainer_exam_passed,
        "train_the_trainer_attended": accreditation.train_the_trainer_attended,
        "experience_years": accreditation.experience_years,
        "min_experience_years": selectors.trainer_min_experience_years(),
    }
    return criteria, missing


def _lock(accreditation: Accreditation) -> Accreditation:
    return (
        Accreditation.objects.select_for_update(of=("self",))
        .select_related("organisation", "trainer")
        .get(pk=accreditation.pk)
    )


@transaction.atomic
def accreditation_grant(
    *, actor: Any, accreditation: Accreditation, at: datetime.datetime | None = None
) -> Accreditation:
    """Accredit for a year from now, when every criterion is met (from applied, suspended or expired)."""
    _require_officer(actor)
    accreditation = _lock(accreditation)
    if accreditation.status == AccreditationStatus.ACCREDITED and accreditation.is_current(at):
        raise ValidationError(_("This accreditation is already current; renew it instead."))
    criteria, missing = accreditation_criteria(accreditation)
    if missing:
        raise ValidationError(missing)
    now = at or timezone.now()
    accreditation.status = AccreditationStatus.ACCREDITED
    accreditation.granted_at = now
    accreditation.expires_at = selectors.add_months(now, ACCREDITATION_MONTHS)
    accreditation.granted_by = actor if getattr(actor, "is_authenticated", False) else None
    accreditation.criteria = criteria
    accreditation.reason = ""
    accreditation.save()
    audit(
        actor=actor,
        action="certification.accreditation_granted",
        obj=accreditation,
        data={"expires_at": accreditation.expires_at.isoformat()},
    )
    return accreditation


@transaction.atomic
def accreditation_renew(
    *, actor: Any, accreditation: Accreditation, at: datetime.datetime | None = None
) -> Accreditation:
    """Renew for another year: from the old expiry when renewed in time, from now when it had lapsed."""
    _require_officer(actor)
    accreditation = _lock(accreditation)
    if accreditation.status not in {AccreditationStatus.ACCREDITED, AccreditationStatus.EXPIRED}:
        raise ValidationError(_("Only an accredited or expired accreditation can be renewed."))
    criteria, missing = accreditation_criteria(accreditation)
    if missing:
        raise ValidationError(missing)
    now = at or timezone.now()
    start = max(now, accreditation.expires_at) if accreditation.expires_at else now
    accreditation.status = AccreditationStatus.ACCREDITED
    accreditation.granted_at = now
    accreditation.expires_at = selectors.add_months(start, ACCREDITATION_MONTHS)
    accreditation.granted_by = actor if getattr(actor, "is_authenticated", False) else None
    accreditation.criteria = criteria
    accreditation.save()
    audit(
        actor=actor,
        action="certification.accreditation_renewed",
        obj=accreditation,
        data={"expires_at": accreditation.expires_at.isoformat()},
    )
    return accreditation


@transaction.atomic
def accreditation_suspend(*, actor: Any, accreditation: Accreditation, reason: str) -> Accreditation:
    """Suspend at once (the holder can no longer run certification exams); a reason is required."""
    _require_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the suspension."))
    accreditation = _lock(accreditation)
    if accreditation.status != AccreditationStatus.ACCREDITED:
        raise ValidationError(_("Only an accredited provider or trainer can be suspended."))
    accreditation.status = AccreditationStatus.SUSPENDED
    accreditation.reason = reason[:300]
    accreditation.save()
    audit(actor=actor, action="certification.accreditation_suspended", obj=accreditation, data={"reason": reason})
    return accreditation


@transaction.atomic
def accreditations_expire(*, at: datetime.datetime | None = None) -> int:
    """Mark accreditations past their expiry as expired (reads already treat them so); returns how many."""
    now = at or timezone.now()
    due = list(
        Accreditation.objects.select_for_update().filter(status=AccreditationStatus.ACCREDITED, expires_at__lte=now)
    )
    for accreditation in due:
        accreditation.status = AccreditationStatus.EXPIRED
        accreditation.save(update_fields=["status", "updated_at"])
        audit(actor=None, action="certification.accreditation_expired", obj=accreditation, data={})
    return len(due)


# --------------------------------------------------------------------------------------------------
# Issuing (the signed credential is written by ``credentials``)


class CertificateRefused(ValidationError):
    """The rule is not met: ``missing`` names each missing requirement (translated), nothing was written."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(missing or [_("The certification rules are not met.")])
        self.missing = list(missing)


def _short_date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _refuse_duplicate(previous: Any, now: datetime.datetime) -> None:
    """One valid credential per holder, kind, role and unit: refuse unless it is in its renewal window."""
    if previous is None or not selectors.is_current(previous, now):
        return
    start = selectors.renewable_from(previous)
    if start is not None and now >= start:
        return
    names = {
        "holder": previous.holder.get_full_name() or previous.holder.get_username(),
        "title": previous.title,
        "id": previous.public_id,
        "issued": _short_date(previous.issued_at),
    }
    if start is None:
        message = _(
            "%(holder)s already holds “%(title)s” (credential %(id)s, issued on %(issued)s), which does not expire. "
            "Revoke it first to issue a new one."
        )
    else:
        names |= {"until": _short_date(previous.valid_until), "renewable": _short_date(start)}
        message = _(
            "%(holder)s already holds “%(title)s” (credential %(id)s, issued on %(issued)s, valid until "
            "%(until)s). It can be renewed from %(renewable)s, or revoked first to issue a new one."
        )
    raise ValidationError(message % names)


@transaction.atomic
def certificate_issue(*, actor: Any, user: Any, role_slug: str, unit_code: str | None = None) -> Any:
    """Issue the role certificate or a unit micro-credential, only when the rule is met.

    * Unknown role or unit: ``ValidationError``. Rule not met: ``CertificateRefused`` naming every missing
      requirement. Nothing is written in either case.
    * One valid credential per holder, kind, role and unit: while one is neither revoked nor expired, a new one
      is refused (naming it) until it enters its renewal window (``selectors.renewal_window_months`` before its
      end). A renewal — in the window or after expiry — is issued when the rule is met again or, for a role
      certificate, per ``selectors.renewal_eligibility`` (CPD hours since the previous one was issued).
    * The validity is the rule's (``selectors.credential_valid_until``).
    """
    _require_officer(actor)
    role = selectors.current_role(role_slug)
    if role is None:
        raise ValidationError(_("There is no published job role %(role)s.") % {"role": role_slug})
    unit = None
    if unit_code:
        unit = selectors.role_unit(role, unit_code)
        if unit is None:
            raise ValidationError(
                _("The job role %(role)s has no unit %(unit)s.") % {"role": role_slug, "unit": unit_code}
            )
    now = timezone.now()
    previous = selectors.latest_credential(user, role_slug=role_slug, unit_code=unit_code)
    _refuse_duplicate(previous, now)
    result = selectors.eligibility(user=user, role_slug=role_slug, unit_code=unit_code)
    route = "rule"
    if not result.met:
        if previous is None or unit is not None:
            raise CertificateRefused(list(result.missing))
        renewal = selectors.renewal_eligibility(user=user, role_slug=role_slug, issued_at=previous.issued_at)
        if not renewal.met:
            raise CertificateRefused(list(renewal.missing))
        route = renewal.route
    from skills4cities.credentials import services as credential_services  # credentials asks our rules too

    evidence = selectors.element_evidence(
        selectors.role_spec(role), selectors.person_records(user), result, unit_code=unit_code
    )
    credential = credential_services.credential_issue(
        holder=user,
        kind=result.kind,
        role=role,
        unit=unit,
        issued_by=actor,
        evidence_urls=(),
        # credential_issue stamps its own issue time a moment later (after the checks, before signing)
        valid_until=selectors.credential_valid_until(role_slug=role_slug, issued_at=timezone.now()),
        element_evidence=evidence,
    )
    audit(
        actor=actor,
        action="certification.certificate_issued",
        obj=role,
        data={
            "holder": str(user.public_id),
            "kind": result.kind,
            "unit": unit_code or "",
            "evidence": dict(result.evidence),
            "renewal_of": str(previous.public_id) if previous is not None else "",
            "route": route,
        },
    )
    return credential


def _refuse_live_attendance(previous: Any) -> None:
    """One live certificate of attendance per person and course: refuse naming it (revoke it first)."""
    names = {
        "holder": previous.holder.get_full_name() or previous.holder.get_username(),
        "title": previous.title,
        "id": previous.public_id,
        "issued": _short_date(previous.issued_at),
    }
    raise ValidationError(
        _(
            "%(holder)s already holds “%(title)s” (credential %(id)s, issued on %(issued)s). "
            "Revoke it first to issue a new one."
        )
        % names
    )


@transaction.atomic
def attendance_certificate_issue(*, actor: Any, user: Any, course_code: str) -> Any:
    """Issue a certificate of attendance of a course — it certifies presence, not competence — when the person
    attended enough of it (``selectors.attendance_eligibility``).

    * Who acts: a certification officer (as for ``certificate_issue``) who may see the person as a candidate
      (``selectors.candidates_for_officer``; site admins see everyone); ``None`` is the system (the command).
    * Unknown course: ``ValidationError``. Not enough attendance: ``CertificateRefused`` naming the hours
      recorded and required. A live (neither revoked nor expired) certificate of attendance of the same course:
      ``ValidationError`` naming it. Nothing is written in any of these cases.
    * The credential is signed by ``credentials.services.credential_issue`` (kind ``attendance``, the course and
      the hours per module in its criteria); its validity is the credentials app's for attendance (none by default).
    """
    _require_officer(actor)
    if actor is not None and not selectors.candidates_for_officer(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("Only a certification officer of the person's organisation may do this."))
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one issue per person at a time
    course = selectors.course_by_code(course_code, user=user)
    if course is None:
        raise ValidationError(_("There is no course %(course)s in a published curriculum.") % {"course": course_code})
    previous = selectors.live_attendance_credential(user, course)
    if previous is not None:
        _refuse_live_attendance(previous)
    result = selectors.attendance_eligibility(user=user, course=course)
    if not result.met:
        raise CertificateRefused(list(result.missing))
    role = selectors.course_role(course)
    if role is None:
        raise ValidationError(
            _("The framework of the course %(course)s has no job role to align the certificate with.")
            % {"course": course.code}
        )
    from skills4cities.credentials import services as credential_services  # credentials asks our rules too

    credential = credential_services.credential_issue(
        holder=user,
        kind=EligibilityKind.ATTENDANCE.value,
        role=role,
        issued_by=actor,
        course=course,
        attendance=result.modules,
    )
    audit(
        actor=actor,
        action="certification.attendance_certificate_issued",
        obj=course,
        data={
            "holder": str(user.public_id),
            "credential": str(credential.public_id),
            "course": course.code,
            "curriculum": f"{course.curriculum.slug} {course.curriculum.version}",
            "attended_hours": result.attended_hours,
            "total_hours": result.total_hours,
            "required_share": result.required_share,
            "modules": {module.code: hours for module, hours in result.modules},
        },
    )
    return credential


@transaction.atomic
def certificate_revoke(*, actor: Any, credential: Any, reason: str) -> Any:
    """Revoke through ``credentials.services.credential_revoke`` (audited there; the status list is re-signed
    at once) after checking the actor may (``selectors.may_revoke``)."""
    if not selectors.may_revoke(actor, credential):
        raise PermissionDenied(_("Only a certification officer of the issuing body may revoke this credential."))
    from skills4cities.credentials import services as credential_services

    return credential_services.credential_revoke(credential=credential, by=actor, reason=reason)


# --------------------------------------------------------------------------------------------------
# Demo data


DEMO_PROVIDER_SLUG = "demo-vet"


def _demo_user(username: str, first: str, last: str) -> Any:
    import os

    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "preferred_language": "en",
        },
    )
    if created:
        user.set_password(os.environ.get("DEMO_PASSWORD") or "skills4cities-demo")
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_demo() -> dict[str, Any]:
    """Idempotent demo data: an accredited provider and trainer, default rules for every role, and what the
    manager rule needs beyond exams and assessor decisions for ``demo-graduate`` (experience, attendance)."""
    from skills4cities.accounts.enums import OrganisationKind
    from skills4cities.accounts.models import Membership, Organisation
    from skills4cities.curriculum.models import Course, Module
    from skills4cities.curriculum.selectors import current_curriculum

    provider = (
        Organisation.objects.filter(slug=DEMO_PROVIDER_SLUG).first()
        or Organisation.objects.filter(kind=OrganisationKind.VET_CENTRE).order_by("pk").first()
        or Organisation.objects.create(
            slug=DEMO_PROVIDER_SLUG, name="Demo VET Centre", kind=OrganisationKind.VET_CENTRE, country="RO"
        )
    )
    officer = (
        Membership.objects.filter(role=MemberRole.CERTIFICATION_OFFICER, user__username__startswith="demo-")
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if officer is None:
        body = Organisation.objects.get_or_create(
            slug="demo-certification",
            defaults={"name": "Demo Certification Body", "kind": OrganisationKind.CERTIFICATION_BODY, "country": "AT"},
        )[0]
        officer = Membership.objects.create(
            user=_demo_user("demo-officer", "Olga", "Officer"),
            organisation=body,
            role=MemberRole.CERTIFICATION_OFFICER,
        )
    officer_user = officer.user
    trainer = _demo_user("demo-trainer", "Andrei", "Popescu")
    Membership.objects.get_or_create(user=trainer, organisation=provider, role=MemberRole.TRAINER)
    graduate = _demo_user("demo-graduate", "Jonas", "Berg")

    for role in selectors.certification_roles():
        if not CertificationRule.objects.filter(role_slug=role.slug).exists():
            rule_save(actor=None, role_slug=role.slug)
    manager = "smart-city-project-manager"
    if selectors.current_role(manager) is not None:
        rule = selectors.rule_for(manager)
        if rule.min_experience_months == 0 and rule.min_training_hours == 0:
            rule_save(actor=None, role_slug=manager, min_experience_months=24, min_training_hours=40)

    curriculum = current_curriculum()
    courses = list(Course.objects.filter(curriculum=curriculum)) if curriculum else []
    provider_acc = Accreditation.objects.filter(kind=AccreditationKind.PROVIDER, organisation=provider).first()
    if provider_acc is None or not provider_acc.is_current():
        provider_acc = accreditation_apply(
            actor=None, kind=AccreditationKind.PROVIDER, organisation=provider, courses=courses
        )
        if selectors.provider_coverage(provider, provider_acc).complete:
            provider_acc = accreditation_grant(actor=None, accreditation=provider_acc)
    trainer_acc = Accreditation.objects.filter(kind=AccreditationKind.TRAINER, trainer=trainer).first()
    if trainer_acc is None or not trainer_acc.is_current():
        trainer_acc = accreditation_apply(
            actor=None,
            kind=AccreditationKind.TRAINER,
            trainer=trainer,
            trainer_exam_passed=True,
            train_the_trainer_attended=True,
            experience_years=max(8, selectors.trainer_min_experience_years()),
        )
        trainer_acc = accreditation_grant(actor=None, accreditation=trainer_acc)

    rule = selectors.rule_for(manager)
    if rule.min_experience_months and selectors.verified_experience_months(graduate) < rule.min_experience_months:
        ExperienceRecord.objects.create(
            user=graduate,
            months=rule.min_experience_months,
            description="Project manager of the city's smart street-lighting programme",
            employer="Demo City",
            verified_by=officer_user,
        )
    if rule.min_training_hours and selectors.attended_hours(graduate) < rule.min_training_hours:
        needed = rule.min_training_hours - selectors.attended_hours(graduate)
        modules = Module.objects.filter(curriculum=curriculum).order_by("position", "code") if curriculum else []
        today = timezone.localdate()
        for module in modules:
            if needed <= 0:
                break
            if AttendanceRecord.objects.filter(user=graduate, module=module).exists():
                continue
            AttendanceRecord.objects.create(
                user=graduate, module=module, hours=module.hours, attended_on=today, recorded_by=trainer
            )
            needed -= module.hours
        if needed > 0:
            AttendanceRecord.objects.create(
                user=graduate, title="Project management workshop", hours=needed, attended_on=today, recorded_by=trainer
            )
    return {"provider": provider_acc, "trainer": trainer_acc, "graduate": graduate, "officer": officer_user}
