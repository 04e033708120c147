"""Reads of the certification body's decisions: eligibility under the rules, coverage, the registry.

``eligibility(user=, role_slug=, unit_code=None)`` is the one answer to "may this person be certified?";
``credentials.issue_credential`` and the officer pages call it. Exam results come from
``exams.selectors.exam_element_results`` and assessor decisions from
``validation.selectors.assessor_element_results``; both are read through :func:`_exam_results` /
:func:`_assessor_results` so a missing app reads as "no evidence".
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.models import Organisation
from skills4cities.certification.enums import AccreditationKind, AccreditationStatus, EligibilityKind
from skills4cities.certification.models import (
    Accreditation,
    AttendanceRecord,
    CertificationRule,
    ExperienceRecord,
)
from skills4cities.frameworks.enums import FrameworkStatus
from skills4cities.frameworks.models import Element, Framework, PerformanceCriterion, Role, RoleRequirement, Unit

# --------------------------------------------------------------------------------------------------
# Rules


def rule_for(role_slug: str) -> CertificationRule:
    """The stored rule of the role, or an unsaved rule with the defaults when none was written yet."""
    rule = CertificationRule.objects.filter(role_slug=role_slug).first()
    return rule if rule is not None else CertificationRule(role_slug=role_slug)


def certification_roles() -> list[Role]:
    """The roles of the newest published version of every framework (the roles one can be certified in)."""
    roles: dict[str, Role] = {}
    queryset = (
        Role.objects.filter(framework__status=FrameworkStatus.PUBLISHED)
        .select_related("framework")
        .order_by("-framework__published_at", "-framework_id", "position", "code")
    )
    seen_framework: dict[str, int] = {}
    for role in queryset:
        newest = seen_framework.setdefault(role.framework.slug, role.framework_id)
        if newest == role.framework_id:
            roles.setdefault(role.slug, role)
    return sorted(roles.values(), key=lambda r: (r.framework.slug, r.position, r.code))


def rules_by_role() -> list[tuple[Role, CertificationRule]]:
    """Every certifiable role with its rule (stored or default), for the officer's rules page."""
    stored = {rule.role_slug: rule for rule in CertificationRule.objects.all()}
    return [(role, stored.get(role.slug) or CertificationRule(role_slug=role.slug)) for role in certification_roles()]


def current_role(role_slug: str) -> Role | None:
    """The role of that slug in the newest published framework version that has it."""
    return (
        Role.objects.filter(slug=role_slug, framework__status=FrameworkStatus.PUBLISHED)
        .select_related("framework")
        .order_by("-framework__published_at", "-framework_id")
        .first()
    )


def credential_valid_until(*, role_slug: str, issued_at: datetime.datetime) -> datetime.datetime:
    """When a certificate of the role issued at ``issued_at`` stops being valid (its rule's validity)."""
    return add_months(issued_at, rule_for(role_slug).validity_months)


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day ``months`` later; the month's last day when that day does not exist (31 Jan + 1 = 28/29 Feb)."""
    import calendar

    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


# --------------------------------------------------------------------------------------------------
# Evidence from other apps (each may be absent while it is being built)


def _exam_results(user: Any) -> dict[str, Any]:
    try:
        from skills4cities.exams.selectors import exam_element_results  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return {}
    return dict(exam_element_results(user))


def _assessor_results(user: Any) -> dict[str, Any]:
    try:
        from skills4cities.validation.selectors import (  # type: ignore[attr-defined,unused-ignore]
            assessor_element_results,
        )
    except ImportError:
        return {}
    return dict(assessor_element_results(user))


def verified_experience_months(user: Any) -> int:
    return int(ExperienceRecord.objects.filter(user=user).aggregate(total=Sum("months"))["total"] or 0)


def attended_hours(user: Any, *, since: datetime.date | None = None) -> int:
    queryset = AttendanceRecord.objects.filter(user=user)
    if since is not None:
        queryset = queryset.filter(attended_on__gte=since)
    return int(queryset.aggregate(total=Sum("hours"))["total"] or 0)


# --------------------------------------------------------------------------------------------------
# Eligibility


@dataclass(frozen=True)
class Eligibility:
    """Whether a person meets the rule for a unit micro-credential or a role certificate.

    ``missing`` holds one translated sentence per unmet requirement; ``evidence`` maps each met
    element's code to the stream that met it (``"exam"`` or ``"assessor"``).
    """

    met: bool
    missing: list[str]
    kind: str
    evidence: dict[str, str] = field(default_factory=dict)
    role_slug: str = ""
    role_title: str = ""
    unit_code: str = ""
    unit_title: str = ""
    validity_months: int = 36
    elements_total: int = 0
    elements_met: int = 0


@dataclass(frozen=True)
class UnitSpec:
    unit: Unit
    essential: bool
    elements: list[Element]


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    rule: CertificationRule
    units: list[UnitSpec]


@dataclass(frozen=True)
class PersonRecords:
    exam: dict[str, Any]
    assessor: dict[str, Any]
    experience_months: int
    training_hours: int


def role_spec(role: Role, rule: CertificationRule | None = None) -> RoleSpec:
    """The role's units in framework order (essential when any requirement in it is), each with all its elements."""
    return _role_specs([role], {role.slug: rule} if rule is not None else None)[0]


def _role_specs(roles: list[Role], rules: dict[str, CertificationRule] | None = None) -> list[RoleSpec]:
    """Specs of several roles in three queries (requirements, units, elements) plus the rules when not given."""
    if rules is None:
        rules = {
            rule.role_slug: rule for rule in CertificationRule.objects.filter(role_slug__in=[r.slug for r in roles])
        }
    essential: dict[int, dict[int, bool]] = {role.pk: {} for role in roles}
    rows = RoleRequirement.objects.filter(role__in=roles).values_list("role_id", "element__unit_id", "essential")
    for role_id, unit_id, is_essential in rows:
        essential[role_id][unit_id] = essential[role_id].get(unit_id, False) or is_essential
    unit_ids = {unit_id for units in essential.values() for unit_id in units}
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in=unit_ids).prefetch_related(
            Prefetch("elements", queryset=Element.objects.order_by("position", "code"))
        )
    }
    specs = []
    for role in roles:
        ordered = sorted((units[pk] for pk in essential[role.pk]), key=lambda u: (u.position, u.code))
        unit_specs = [
            UnitSpec(unit=u, essential=essential[role.pk][u.pk], elements=list(u.elements.all())) for u in ordered
        ]
        rule = rules.get(role.slug) or CertificationRule(role_slug=role.slug)
        specs.append(RoleSpec(role=role, rule=rule, units=unit_specs))
    return specs


def person_records(user: Any) -> PersonRecords:
    return PersonRecords(
        exam=_exam_results(user),
        assessor=_assessor_results(user),
        experience_months=verified_experience_months(user),
        training_hours=attended_hours(user),
    )


def people_records(users: list[Any]) -> dict[int, PersonRecords]:
    """Records of several people: experience and attendance in one query each, the evidence per person."""
    ids = [user.pk for user in users]
    months = dict(
        ExperienceRecord.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(t=Sum("months"))
        .values_list("user_id", "t")
    )
    hours = dict(
        AttendanceRecord.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(t=Sum("hours"))
        .values_list("user_id", "t")
    )
    return {
        user.pk: PersonRecords(
            exam=_exam_results(user),
            assessor=_assessor_results(user),
            experience_months=int(months.get(user.pk) or 0),
            training_hours=int(hours.get(user.pk) or 0),
        )
        for user in users
    }


def _duration(months: int) -> str:
    if months == 0:
        return _("none")
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def _element_stream(element: Element, rule: CertificationRule, records: PersonRecords) -> str | None:
    if rule.accept_exam:
        result = records.exam.get(element.code)
        if result is not None and getattr(result, "passed", False):
            return "exam"
    if rule.accept_assessor:
        result = records.assessor.get(element.code)
        if result is not None and getattr(result, "met", False):
            return "assessor"
    return None


def _element_missing(element: Element, rule: CertificationRule) -> str:
    names = {"code": element.code, "title": element.title}
    if rule.accept_exam and rule.accept_assessor:
        return _("Element %(code)s %(title)s: not passed by exam nor validated by an assessor") % names
    if rule.accept_exam:
        return _("Element %(code)s %(title)s: not passed by exam") % names
    return _("Element %(code)s %(title)s: not validated by an assessor") % names


def evaluate(spec: RoleSpec, records: PersonRecords, unit_code: str | None = None) -> Eligibility:
    """Apply the rule of ``spec`` to one person's records (pure: no queries)."""
    rule, role = spec.rule, spec.role
    evidence: dict[str, str] = {}
    missing: list[str] = []
    kind, unit_title = EligibilityKind.ROLE.value, ""
    if unit_code:
        kind = EligibilityKind.UNIT.value
        unit_spec = next((u for u in spec.units if u.unit.code == unit_code), None)
        if unit_spec is None:
            message = _("Unit %(unit)s is not part of the role %(role)s.") % {"unit": unit_code, "role": role.title}
            return Eligibility(
                met=False,
                missing=[message],
                kind=kind,
                role_slug=role.slug,
                role_title=role.title,
                unit_code=unit_code,
                validity_months=rule.validity_months,
            )
        units, unit_title = [unit_spec], unit_spec.unit.title
    else:
        units = [u for u in spec.units if u.essential or rule.include_optional_units]
    total = 0
    for unit_spec in units:
        for element in unit_spec.elements:
            total += 1
            stream = _element_stream(element, rule, records)
            if stream is None:
                missing.append(_element_missing(element, rule))
            else:
                evidence[element.code] = stream
    if kind == EligibilityKind.ROLE.value:
        if rule.min_experience_months and records.experience_months < rule.min_experience_months:
            missing.append(
                _("At least %(required)s of project experience are required (recorded: %(recorded)s)")
                % {"required": _duration(rule.min_experience_months), "recorded": _duration(records.experience_months)}
            )
        if rule.min_training_hours and records.training_hours < rule.min_training_hours:
            missing.append(
                _("At least %(required)d hours of attended training are required (recorded: %(recorded)d)")
                % {"required": rule.min_training_hours, "recorded": records.training_hours}
            )
    if not total:
        missing.insert(0, _("The role has no units to certify."))
    return Eligibility(
        met=not missing,
        missing=missing,
        kind=kind,
        evidence=evidence,
        role_slug=role.slug,
        role_title=role.title,
        unit_code=unit_code or "",
        unit_title=unit_title,
        validity_months=rule.validity_months,
        elements_total=total,
        elements_met=len(evidence),
    )


def eligibility(*, user: Any, role_slug: str, unit_code: str | None = None) -> Eligibility:
    """Whether ``user`` meets the rule for the role certificate, or for one unit's micro-credential."""
    kind = EligibilityKind.UNIT.value if unit_code else EligibilityKind.ROLE.value
    role = current_role(role_slug)
    if role is None:
        message = _("There is no published job role “%(role)s”.") % {"role": role_slug}
        return Eligibility(met=False, missing=[message], kind=kind, role_slug=role_slug, unit_code=unit_code or "")
    return evaluate(role_spec(role), person_records(user), unit_code)


@dataclass(frozen=True)
class RoleEligibility:
    """A person's standing for one role: the role certificate and each unit's micro-credential."""

    role: Role
    role_result: Eligibility
    units: list[tuple[UnitSpec, Eligibility]]


def eligibility_overview(user: Any, specs: Iterable[RoleSpec] | None = None) -> list[RoleEligibility]:
    """Eligibility for every certifiable role and each of its units (a few queries per person)."""
    specs = list(specs) if specs is not None else role_specs()
    records = person_records(user)
    return [
        RoleEligibility(
            role=spec.role,
            role_result=evaluate(spec, records),
            units=[(u, evaluate(spec, records, u.unit.code)) for u in spec.units],
        )
        for spec in specs
    ]


def role_specs() -> list[RoleSpec]:
    """The specs of every certifiable role (a fixed number of queries, whatever the number of roles)."""
    return _role_specs(certification_roles())


@dataclass(frozen=True)
class RenewalEligibility:
    met: bool
    route: str  # "rule" | "cpd" | ""
    missing: list[str]
    cpd_hours: int


def renewal_eligibility(*, user: Any, role_slug: str, issued_at: datetime.datetime) -> RenewalEligibility:
    """A certificate is renewed (re-issued with a new validity) when the holder meets the rule again, or,
    when the rule sets ``renewal_cpd_hours``, has attended that many training hours since ``issued_at``."""
    result = eligibility(user=user, role_slug=role_slug)
    cpd = attended_hours(user, since=issued_at.date())
    if result.met:
        return RenewalEligibility(met=True, route="rule", missing=[], cpd_hours=cpd)
    required = rule_for(role_slug).renewal_cpd_hours
    if required and cpd >= required:
        return RenewalEligibility(met=True, route="cpd", missing=[], cpd_hours=cpd)
    missing = list(result.missing)
    if required:
        missing.append(
            _(
                "Or at least %(required)d hours of training attended since the certificate was issued "
                "(recorded: %(recorded)d)"
            )
            % {"required": required, "recorded": cpd}
        )
    return RenewalEligibility(met=False, route="", missing=missing, cpd_hours=cpd)


# --------------------------------------------------------------------------------------------------
# Attendance certificates (a different kind: they certify presence, not competence)


@dataclass(frozen=True)
class AttendanceEligibility:
    """Whether a person attended enough of a course for a certificate of attendance.

    ``modules`` holds the course's modules in order with the hours attended of each (at most the module's hours);
    ``missing`` one translated sentence per unmet requirement.
    """

    met: bool
    missing: list[str]
    kind: str
    course_code: str
    attended_hours: int
    total_hours: int
    share: float
    required_share: float
    modules: tuple[tuple[Any, int], ...] = ()

    @property
    def percent(self) -> int:
        """The share attended in whole per cent, rounded down (79.9 % is shown as 79 %, as it is not met)."""
        return math.floor(self.share * 100 + 1e-9)

    @property
    def required_percent(self) -> int:
        return round(self.required_share * 100)


def attendance_min_share() -> float:
    share = float(getattr(settings, "CERTIFICATION_ATTENDANCE_MIN_SHARE", 0.8))
    if not 0 < share <= 1:
        raise ImproperlyConfigured("CERTIFICATION_ATTENDANCE_MIN_SHARE must be a share above 0 and at most 1.")
    return share


def evaluate_attendance(course: Any, modules: list[Any], attended: dict[int, int]) -> AttendanceEligibility:
    """Apply the attendance rule (pure: no queries): ``modules`` of the course in order, ``attended`` hours
    recorded per module primary key. Each module counts at most its own hours."""
    rows = tuple((module, min(attended.get(module.pk, 0), module.hours)) for module in modules)
    total = sum(module.hours for module in modules)
    done = sum(hours for _module, hours in rows)
    share = done / total if total else 0.0
    required = attendance_min_share()
    missing: list[str] = []
    if not total:
        missing.append(_("The course %(course)s has no modules.") % {"course": course.code})
    elif share < required:
        missing.append(
            _(
                "Attendance of at least %(required)d%% of the course hours is required "
                "(recorded: %(done)d of %(total)d hours)"
            )
            % {"required": round(required * 100), "done": done, "total": total}
        )
    return AttendanceEligibility(
        met=not missing,
        missing=missing,
        kind=EligibilityKind.ATTENDANCE.value,
        course_code=course.code,
        attended_hours=done,
        total_hours=total,
        share=share,
        required_share=required,
        modules=rows,
    )


def _attended_by_module(user: Any, module_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Hours recorded per module (all modules, or those of ``module_ids``) in one query."""
    queryset = AttendanceRecord.objects.filter(user=user, module__isnull=False)
    if module_ids is not None:
        queryset = queryset.filter(module_id__in=list(module_ids))
    rows = queryset.values("module_id").annotate(total=Sum("hours")).values_list("module_id", "total")
    return {module_id: int(total or 0) for module_id, total in rows}


def _ordered_modules(course: Any) -> list[Any]:
    """The course's modules in the course's order (uses a prefetched ``course_modules`` when there is one)."""
    return [link.module for link in sorted(course.course_modules.all(), key=lambda link: (link.position, link.pk))]


def attendance_eligibility(*, user: Any, course: Any) -> AttendanceEligibility:
    """Attended hours of the course's modules (each capped at the module's hours) over the course's hours."""
    from skills4cities.curriculum.models import CourseModule

    links = list(CourseModule.objects.filter(course=course).select_related("module").order_by("position", "pk"))
    modules = [link.module for link in links]
    return evaluate_attendance(course, modules, _attended_by_module(user, [m.pk for m in modules]))


def _courses_with_modules() -> Any:
    from skills4cities.curriculum.models import Course, CourseModule

    return Course.objects.select_related("curriculum__framework").prefetch_related(
        Prefetch("course_modules", queryset=CourseModule.objects.select_related("module").order_by("position", "pk"))
    )


def course_by_code(course_code: str, *, user: Any = None) -> Any:
    """The course of that code in a curriculum on a published framework, newest first; among several (curriculum
    versions), the newest in which ``user`` attended a module. None when there is none."""
    courses = list(
        _courses_with_modules()
        .filter(code=course_code, curriculum__framework__status=FrameworkStatus.PUBLISHED)
        .order_by("-curriculum__framework__published_at", "-curriculum_id")
    )
    if user is not None and len(courses) > 1:
        attended = _attended_by_module(user)
        for course in courses:
            if any(link.module_id in attended for link in course.course_modules.all()):
                return course
    return courses[0] if courses else None


def course_role(course: Any) -> Role | None:
    """The job role a course prepares for: the role of the course's framework whose requirements its modules'
    learning outcomes cover most (then the most essential ones; then the first role). None without roles."""
    from skills4cities.curriculum.models import LearningOutcome

    covered = set(LearningOutcome.objects.filter(module__courses=course).values_list("element_id", flat=True))
    roles = list(Role.objects.filter(framework_id=course.curriculum.framework_id).select_related("framework"))
    score: dict[int, list[int]] = {role.pk: [0, 0] for role in roles}
    rows = RoleRequirement.objects.filter(role__in=roles, element_id__in=covered).values_list("role_id", "essential")
    for role_id, is_essential in rows:
        score[role_id][0] += 1
        score[role_id][1] += int(is_essential)
    ranked = sorted(roles, key=lambda r: (-score[r.pk][0], -score[r.pk][1], r.position, r.code))
    return ranked[0] if ranked else None


def live_attendance_credential(user: Any, course: Any, *, held: list[Any] | None = None) -> Any:
    """The person's certificate of attendance of the course that is neither revoked nor expired, or None."""
    now = timezone.now()
    for credential in credentials_held(user) if held is None else held:
        if (
            credential.kind == EligibilityKind.ATTENDANCE.value
            and credential.course_id == course.pk
            and is_current(credential, now)
        ):
            return credential
    return None


@dataclass(frozen=True)
class CourseAttendance:
    """One course on the officer's page: the attendance rule applied and the live certificate held, if any."""

    course: Any
    result: AttendanceEligibility
    held: Any


def attendance_overview(user: Any, *, held: list[Any] | None = None) -> list[CourseAttendance]:
    """Every course of a published framework's curriculum with at least one module the person attended, in
    curriculum order (a fixed number of queries); ``held`` is ``credentials_held(user)`` when already read."""
    attended = _attended_by_module(user)
    if not attended:
        return []
    held = credentials_held(user) if held is None else held
    courses = (
        _courses_with_modules()
        .filter(modules__pk__in=list(attended), curriculum__framework__status=FrameworkStatus.PUBLISHED)
        .distinct()
        .order_by("curriculum_id", "position", "code")
    )
    return [
        CourseAttendance(
            course=course,
            result=evaluate_attendance(course, _ordered_modules(course), attended),
            held=live_attendance_credential(user, course, held=held),
        )
        for course in courses
    ]


# --------------------------------------------------------------------------------------------------
# Accreditation registry


def _current(queryset: QuerySet[Accreditation], at: datetime.datetime | None = None) -> QuerySet[Accreditation]:
    now = at or timezone.now()
    return queryset.filter(status=AccreditationStatus.ACCREDITED, granted_at__lte=now, expires_at__gt=now)


def provider_may_run_exams(organisation: Any) -> bool:
    """True while the organisation holds a current provider accreditation."""
    if organisation is None or getattr(organisation, "pk", None) is None:
        return False
    return _current(Accreditation.objects.filter(kind=AccreditationKind.PROVIDER, organisation=organisation)).exists()


def trainer_may_run_exams(user: Any) -> bool:
    """True while the person holds a current trainer accreditation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return _current(Accreditation.objects.filter(kind=AccreditationKind.TRAINER, trainer=user)).exists()


def accredited_list(at: datetime.datetime | None = None) -> list[Accreditation]:
    """The public list: current accreditations, providers first, by name."""
    queryset = _current(Accreditation.objects.all(), at).select_related("organisation", "trainer")
    return sorted(
        queryset,
        key=lambda a: (a.kind != AccreditationKind.PROVIDER, str(a.holder).casefold()),
    )


def accreditations_registry() -> QuerySet[Accreditation]:
    return Accreditation.objects.select_related("organisation", "trainer", "granted_by").order_by(
        "kind", "organisation__name", "trainer__username"
    )


def accreditation_get(public_id: Any) -> Accreditation:
    """The accreditation of that public id (officer pages check the officer first); 404 otherwise."""
    try:
        return accreditations_registry().get(public_id=public_id)
    except (Accreditation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class Coverage:
    """What a provider's material covers of a framework (every unit, element and criterion)."""

    framework: Framework | None
    modules: list[Any]
    units_total: int
    elements_total: int
    criteria_total: int
    uncovered_units: list[Unit]
    uncovered_elements: list[Element]
    uncovered_criteria: list[PerformanceCriterion]

    @property
    def complete(self) -> bool:
        return bool(
            self.framework is not None
            and self.modules
            and not (self.uncovered_units or self.uncovered_elements or self.uncovered_criteria)
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "framework": f"{self.framework.slug} {self.framework.version}" if self.framework else "",
            "modules": [m.code for m in self.modules],
            "units": [self.units_total - len(self.uncovered_units), self.units_total],
            "elements": [self.elements_total - len(self.uncovered_elements), self.elements_total],
            "criteria": [self.criteria_total - len(self.uncovered_criteria), self.criteria_total],
            "uncovered_elements": [e.code for e in self.uncovered_elements],
            "complete": self.complete,
        }


def provider_modules(organisation: Any, accreditation: Accreditation | None = None) -> list[Any]:
    """Modules the provider offers: those of the courses declared on its accreditation and of its cohorts."""
    from skills4cities.curriculum.models import Cohort, Module

    course_ids = set(Cohort.objects.filter(organisation=organisation).values_list("course_id", flat=True))
    if accreditation is not None and accreditation.pk:
        course_ids |= set(accreditation.courses.values_list("pk", flat=True))
    return list(
        Module.objects.filter(courses__pk__in=course_ids)
        .distinct()
        .select_related("curriculum__framework")
        .prefetch_related("outcomes")
        .order_by("curriculum_id", "position", "code")
    )


def material_coverage(modules: list[Any], framework: Framework | None = None) -> Coverage:
    """Units, elements and criteria of the framework that no module covers.

    An element is covered when it is a learning outcome of one of the modules; its performance criteria
    are covered with it (the curriculum assesses an outcome against the element's criteria); a unit is
    covered when all its elements are.
    """
    if framework is None:
        framework = modules[0].curriculum.framework if modules else None
    if framework is None:
        return Coverage(None, [], 0, 0, 0, [], [], [])
    covered = {o.element_id for m in modules for o in m.outcomes.all()}
    units = list(
        framework.units.prefetch_related(
            Prefetch(
                "elements",
                queryset=Element.objects.order_by("position", "code").prefetch_related(
                    Prefetch("criteria", queryset=PerformanceCriterion.objects.order_by("position", "code"))
                ),
            )
        ).order_by("position", "code")
    )
    uncovered_units, uncovered_elements, uncovered_criteria = [], [], []
    elements_total = criteria_total = 0
    for unit in units:
        unit_elements = list(unit.elements.all())
        elements_total += len(unit_elements)
        gaps = [e for e in unit_elements if e.pk not in covered]
        for element in unit_elements:
            criteria = list(element.criteria.all())
            criteria_total += len(criteria)
            if element.pk not in covered:
                uncovered_criteria.extend(criteria)
        uncovered_elements.extend(gaps)
        if gaps or not unit_elements:
            uncovered_units.append(unit)
    return Coverage(
        framework=framework,
        modules=modules,
        units_total=len(units),
        elements_total=elements_total,
        criteria_total=criteria_total,
        uncovered_units=uncovered_units,
        uncovered_elements=uncovered_elements,
        uncovered_criteria=uncovered_criteria,
    )


def provider_coverage(organisation: Any, accreditation: Accreditation | None = None) -> Coverage:
    return material_coverage(provider_modules(organisation, accreditation))


def trainer_min_experience_years() -> int:
    return int(getattr(settings, "CERTIFICATION_TRAINER_MIN_EXPERIENCE_YEARS", 3))


def trainer_criteria_missing(accreditation: Accreditation) -> list[str]:
    missing = []
    if not accreditation.trainer_exam_passed:
        missing.append(_("The trainer exam has not been passed."))
    if not accreditation.train_the_trainer_attended:
        missing.append(_("The train-the-trainer course has not been attended."))
    required = trainer_min_experience_years()
    if accreditation.experience_years < required:
        missing.append(
            _("At least %(required)d years of experience are required (recorded: %(recorded)d).")
            % {"required": required, "recorded": accreditation.experience_years}
        )
    return missing


# --------------------------------------------------------------------------------------------------
# Who may do what


def officer_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations in which the user is a certification officer (all for a site admin)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=MemberRole.CERTIFICATION_OFFICER
    ).distinct()


def is_certification_officer(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.memberships.filter(role=MemberRole.CERTIFICATION_OFFICER).exists())


def candidates_for_officer(user: Any) -> QuerySet[Any]:
    """Learners of the officer's organisations and everyone who applied for validation to them."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if not is_certification_officer(user):
        return users.none()
    condition = Q(memberships__role=MemberRole.LEARNER)
    if not user.is_superuser:
        condition &= Q(memberships__organisation__in=officer_organisations(user))
    applicants = _validation_applicants(user)
    if applicants is not None:
        condition |= Q(pk__in=applicants)
    return users.filter(condition).distinct().order_by("username")


def _validation_applicants(user: Any) -> Any:
    """People who submitted a validation request the officer's organisations handle (None without the app)."""
    try:
        from skills4cities.validation.selectors import visible_requests
    except ImportError:
        return None
    return visible_requests(user).exclude(state="draft").exclude(learner=user).values("learner_id")


def candidate_for_officer(user: Any, public_id: Any) -> Any:
    """Access helper: a candidate the officer may see, or 404."""
    try:
        candidate = candidates_for_officer(user).filter(public_id=public_id).first()
    except (ValidationError, ValueError, TypeError):
        candidate = None
    if candidate is None:
        raise Http404
    return candidate


def offered_courses() -> QuerySet[Any]:
    from skills4cities.curriculum.selectors import offered_courses as curriculum_courses

    return curriculum_courses()


def offered_modules() -> QuerySet[Any]:
    from skills4cities.curriculum.models import Module
    from skills4cities.curriculum.selectors import current_curriculum

    curriculum = current_curriculum()
    if curriculum is None:
        return Module.objects.none()
    return Module.objects.filter(curriculum=curriculum).order_by("position", "code")


def credentials_held(user: Any) -> list[Any]:
    """The person's issued credentials (read from the credentials app; empty where it is not installed)."""
    try:
        from skills4cities.credentials.selectors import credentials_of
    except ImportError:
        return []
    return list(credentials_of(user).order_by("-issued_at", "-id"))


def experience_of(user: Any) -> QuerySet[ExperienceRecord]:
    return ExperienceRecord.objects.filter(user=user).select_related("verified_by").order_by("-verified_at", "-id")


def attendance_of(user: Any) -> QuerySet[AttendanceRecord]:
    return (
        AttendanceRecord.objects.filter(user=user)
        .select_related("course", "module", "recorded_by")
        .order_by("-attended_on", "-id")
    )


# --------------------------------------------------------------------------------------------------
# Credentials already held: one valid credential per holder, kind, role and unit; renewal


def renewal_window_months() -> int:
    """How long before its end of validity a certificate may be renewed (re-issued)."""
    months = int(getattr(settings, "CERTIFICATION_RENEWAL_WINDOW_MONTHS", 3))
    if months < 0:
        raise ImproperlyConfigured("CERTIFICATION_RENEWAL_WINDOW_MONTHS must not be negative.")
    return months


def role_unit(role: Role, unit_code: str) -> Unit | None:
    """The unit of that code among the role's units (those the role has requirements in), or None."""
    return (
        Unit.objects.filter(framework_id=role.framework_id, code=unit_code, elements__requirements__role=role)
        .distinct()
        .first()
    )


def _same_scope(credential: Any, role_slug: str, unit_code: str | None) -> bool:
    if credential.kind not in {EligibilityKind.ROLE.value, EligibilityKind.UNIT.value}:
        return False
    code = credential.unit.code if credential.unit_id else None
    return bool(credential.role.slug == role_slug and code == (unit_code or None))


def latest_credential(user: Any, *, role_slug: str, unit_code: str | None = None) -> Any:
    """The newest credential not revoked (valid or expired) of the holder for the role or the unit, or None."""
    for credential in credentials_held(user):
        if credential.revoked_at is None and _same_scope(credential, role_slug, unit_code):
            return credential
    return None


def is_current(credential: Any, at: datetime.datetime | None = None) -> bool:
    """Neither revoked nor expired."""
    now = at or timezone.now()
    return credential.revoked_at is None and (credential.valid_until is None or credential.valid_until > now)


def renewable_from(credential: Any) -> datetime.datetime | None:
    """When a credential enters its renewal window (None: it has no end of validity, so it is never renewed)."""
    if credential.valid_until is None:
        return None
    return add_months(credential.valid_until, -renewal_window_months())


@dataclass(frozen=True)
class HeldEligibility:
    """``RoleEligibility`` with, for the role and each unit, the valid credential the person already holds."""

    role: Role
    role_result: Eligibility
    role_held: Any
    units: list[tuple[UnitSpec, Eligibility, Any]]


def eligibility_with_held(user: Any, *, held: list[Any] | None = None) -> list[HeldEligibility]:
    """Eligibility per role and unit next to the valid credentials held (shown instead of an "Issue" button);
    ``held`` is ``credentials_held(user)`` when already read."""
    now = timezone.now()
    current: dict[tuple[str, str], Any] = {}
    for credential in credentials_held(user) if held is None else held:  # newest first
        if credential.kind in {EligibilityKind.ROLE.value, EligibilityKind.UNIT.value} and is_current(credential, now):
            key = (credential.role.slug, credential.unit.code if credential.unit_id else "")
            current.setdefault(key, credential)
    return [
        HeldEligibility(
            role=entry.role,
            role_result=entry.role_result,
            role_held=current.get((entry.role.slug, "")),
            units=[(spec, result, current.get((entry.role.slug, spec.unit.code))) for spec, result in entry.units],
        )
        for entry in eligibility_overview(user)
    ]


def element_evidence(
    spec: RoleSpec, records: PersonRecords, result: Eligibility, *, unit_code: str | None = None
) -> dict[str, Any]:
    """How each element of the certificate was met, for its criteria: the stream that met it (``exam`` or
    ``assessor``, from ``result``), else the stream of any evidence held, else why it did not have to be met
    (an optional unit the rule does not require). Phrases are lazy: the credential is written in the holder's
    language."""
    from django.utils.translation import gettext_lazy

    evidence: dict[str, Any] = dict(result.evidence)
    for unit_spec in spec.units:
        if unit_code and unit_spec.unit.code != unit_code:
            continue
        for element in unit_spec.elements:
            if element.code in evidence:
                continue
            stream = _element_stream(element, spec.rule, records)
            if stream is not None:
                evidence[element.code] = stream
            elif not unit_spec.essential and not spec.rule.include_optional_units and not unit_code:
                evidence[element.code] = gettext_lazy("optional unit, not required for this certificate")
            else:
                evidence[element.code] = gettext_lazy("renewed by continuing professional development")
    return evidence


def may_revoke(actor: Any, credential: Any) -> bool:
    """Site staff, or a certification officer of an organisation the credential's issuing officer belongs to."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser or actor.is_staff:
        return True
    if credential.issued_by_id is None or not is_certification_officer(actor):
        return False
    issuing_bodies = officer_organisations(credential.issued_by)
    return bool(officer_organisations(actor).filter(pk__in=issuing_bodies.values("pk")).exists())


def credential_to_revoke(user: Any, public_id: Any) -> Any:
    """Access helper: a credential the user may revoke (``may_revoke``), or 404."""
    from skills4cities.credentials.selectors import credential_public

    credential = credential_public(public_id)
    if not may_revoke(user, credential):
        raise Http404
    return credential


def revocable_by(user: Any, credentials: list[Any]) -> set[int]:
    """Primary keys of the credentials (not yet revoked) that ``user`` may revoke, in a query per issuing officer."""
    allowed: dict[Any, bool] = {}
    result = set()
    for credential in credentials:
        if credential.revoked_at is not None:
            continue
        key = credential.issued_by_id
        if key not in allowed:
            allowed[key] = may_revoke(user, credential)
        if allowed[key]:
            result.add(credential.pk)
    return result
