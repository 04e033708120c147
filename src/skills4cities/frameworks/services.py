"""Writes to frameworks: import a document, load the reference content, publish, start a draft."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path, PurePath
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skills4cities.core.audit import audit
from skills4cities.esco.selectors import existing_uris, labels_for_uris
from skills4cities.frameworks import import_progress, selectors
from skills4cities.frameworks.enums import AlignmentTarget, FrameworkStatus, ImportStatus
from skills4cities.frameworks.interchange.document import DocumentErrors, Problem, validate_document
from skills4cities.frameworks.interchange.formats import get_format, guess_format
from skills4cities.frameworks.interchange.native import document_hash, read_framework, write_document
from skills4cities.frameworks.interchange.schema import schema_problems
from skills4cities.frameworks.interchange.sources import capped, decode_text, path_text, place
from skills4cities.frameworks.models import EcfCompetence, Element, Framework, ImportJob
from skills4cities.frameworks.selectors import can_edit_framework

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ECF_FILE = Path(__file__).resolve().parent / "data" / "ecf-4.0.json"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    framework: Framework
    created: bool
    notes: tuple[str, ...] = ()  # what the format's reader wants the user to know (e.g. CASE generic items)


def ecf_load() -> int:
    """Upsert the e-CF 4.0 competence list (codes and titles). Returns how many rows changed."""
    data = json.loads(ECF_FILE.read_text(encoding="utf-8"))
    changed = 0
    for code, title in data["competences"]:
        area = data["areas"][code.split(".")[0]]
        _obj, created = EcfCompetence.objects.get_or_create(code=code, defaults={"title": title, "area": area})
        if not created and (_obj.title, _obj.area) != (title, area):
            _obj.title, _obj.area = title, area
            _obj.save(update_fields=["title", "area"])
            changed += 1
        changed += int(created)
    return changed


def _yaml_file(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise DocumentErrors([Problem(f"{path.name}{line}", f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None


def read_reference_folder(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Assemble ``framework.yaml`` and ``units/*.yaml`` into one document; also the unit → file map."""
    document = _yaml_file(folder / "framework.yaml")
    if not isinstance(document, dict):
        raise DocumentErrors([Problem("framework.yaml", "must be a mapping")])
    units, sources = [], {}
    for path in sorted((folder / "units").glob("*.yaml")):
        unit = _yaml_file(path)
        if isinstance(unit, dict):
            sources[str(unit.get("code"))] = f"units/{path.name}"
        units.append(unit)
    document["units"] = units
    return document, sources


def _check_esco(document: dict[str, Any], unit_sources: dict[str, str], source: str = "framework.yaml") -> None:
    """Every ESCO alignment must name a concept present in the loaded ESCO data."""
    found: list[tuple[str, str]] = []

    def collect(items: list[dict[str, Any]] | None, where: str) -> None:
        for index, alignment in enumerate(items or []):
            if alignment.get("target") != AlignmentTarget.ECF:
                found.append((f"{where}.alignments[{index}]", alignment["uri"]))

    for role in document.get("roles") or []:
        collect(role.get("alignments"), f"{source}: role {role.get('slug')}")
    for unit in document["units"]:
        unit_source = unit_sources.get(str(unit["code"]), source)
        collect(unit.get("alignments"), f"{unit_source}: unit {unit['code']}")
        for element in unit["elements"]:
            collect(element.get("alignments"), f"{unit_source}: element {element['code']}")
            for criterion in element["criteria"]:
                collect(criterion.get("alignments"), f"{unit_source}: criterion {criterion['code']}")
    known = existing_uris(uri for _where, uri in found)
    problems = [Problem(where, f"ESCO concept not found: {uri}") for where, uri in found if uri not in known]
    if problems:
        raise DocumentErrors(problems)


@transaction.atomic
def framework_import_document(
    *,
    document: dict[str, Any],
    actor: Any = None,
    unit_sources: dict[str, str] | None = None,
    strict_content: bool = False,
    check_esco: bool = True,
    owner: Any = None,
    source: str = "document",
) -> ImportResult:
    """Validate and store a framework version. Idempotent: the same document again changes nothing.

    A published version is never changed: a document with the same slug and version but different
    content is refused and must carry a new version number. A draft with the same version is replaced.
    """
    ecf_codes = set(EcfCompetence.objects.values_list("code", flat=True)) or None
    validate_document(
        document, source=source, unit_sources=unit_sources, ecf_codes=ecf_codes, strict_content=strict_content
    )
    if check_esco:
        _check_esco(document, unit_sources or {}, source)
    existing = Framework.objects.filter(slug=document["slug"], version=document["version"]).first()
    if existing is not None:
        if existing.source_hash == document_hash(document):
            return ImportResult(existing, created=False)
        if document_hash(read_framework(existing)) == document_hash(document):  # an export of this very version
            return ImportResult(existing, created=False)
        if existing.status != FrameworkStatus.DRAFT:
            raise DocumentErrors(
                [
                    Problem(
                        f"{source}: version",
                        f"{existing.slug} {existing.version} is {existing.status} and cannot change; "
                        "give the changed content a new version number",
                    )
                ]
            )
        existing.delete()
    status = document.get("status", FrameworkStatus.DRAFT)
    if status == FrameworkStatus.DRAFT and Framework.objects.filter(slug=document["slug"], status=status).exists():
        raise DocumentErrors([Problem(f"{source}: status", f"{document['slug']} already has a draft version")])
    framework = write_document(document, owner=owner)
    if framework.status == FrameworkStatus.PUBLISHED:
        problems = framework_tree_problems(framework)
        if problems:
            raise DocumentErrors([Problem(source, problem) for problem in problems])
    audit(actor=actor, action="framework.import", obj=framework, data={"version": framework.version})
    return ImportResult(framework, created=True)


def reference_load(*, folder: Path | None = None) -> list[ImportResult]:
    """Load the shipped reference frameworks (every folder under ``reference/``)."""
    ecf_load()
    results = []
    folders = [folder] if folder else sorted(p for p in REFERENCE_DIR.iterdir() if (p / "framework.yaml").exists())
    for path in folders:
        document, sources = read_reference_folder(path)
        results.append(
            framework_import_document(
                document=document, unit_sources=sources, strict_content=True, source="framework.yaml"
            )
        )
    return results


def framework_tree_problems(framework: Framework) -> list[str]:
    """What stops a version from being published: empty units, elements without criteria, orphans, levels."""
    problems = []
    if not framework.units.exists():
        problems.append("the framework has no units")
    for unit in framework.units.filter(elements__isnull=True):
        problems.append(f"unit {unit.code} has no elements")
    for element in framework.elements.filter(criteria__isnull=True):
        problems.append(f"element {element.code} has no performance criteria")
    for element in framework.elements.exclude(unit__framework=framework):
        problems.append(f"element {element.code} belongs to a unit of another framework")
    if framework.criteria.exclude(element__framework=framework).exists():
        problems.append("some performance criteria belong to elements of another framework")
    levels = set(framework.scale.levels.values_list("value", flat=True)) if hasattr(framework, "scale") else set()
    if not levels:
        problems.append("the framework has no proficiency scale levels")
    for role in framework.roles.all():
        if not role.requirements.exists():
            problems.append(f"role {role.slug} requires no elements")
        foreign = role.requirements.exclude(element__framework=framework)
        if foreign.exists():
            problems.append(f"role {role.slug} requires elements of another framework")
        for value in role.requirements.exclude(target_level__in=levels).values_list("target_level", flat=True):
            problems.append(f"role {role.slug} targets level {value}, which is not on the scale")
    return problems


def _require_editor(actor: Any, framework: Framework) -> None:
    if not can_edit_framework(actor, framework):
        raise PermissionDenied


@transaction.atomic
def framework_publish(*, framework: Framework, actor: Any) -> Framework:
    """Publish a draft after validating its tree. Raises DocumentErrors listing what is wrong."""
    _require_editor(actor, framework)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.DRAFT:
        raise DocumentErrors([Problem(str(framework), "only a draft can be published")])
    problems = framework_tree_problems(framework)
    if problems:
        raise DocumentErrors([Problem(str(framework), problem) for problem in problems])
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.source_hash = document_hash(read_framework(framework) | {"status": FrameworkStatus.PUBLISHED})
    framework.save(update_fields=["status", "published_at", "source_hash", "updated_at"])
    audit(actor=actor, action="framework.publish", obj=framework, data={"version": framework.version})
    return framework


@transaction.atomic
def framework_retire(*, framework: Framework, actor: Any) -> Framework:
    _require_editor(actor, framework)
    if framework.status != FrameworkStatus.PUBLISHED:
        raise DocumentErrors([Problem(str(framework), "only a published version can be retired")])
    framework.status = FrameworkStatus.RETIRED
    framework.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="framework.retire", obj=framework)
    return framework


@transaction.atomic
def framework_start_draft(*, framework: Framework, actor: Any, version: str) -> Framework:
    """Copy a published version into a new draft with the given version number."""
    _require_editor(actor, framework)
    if Framework.objects.filter(slug=framework.slug, status=FrameworkStatus.DRAFT).exists():
        raise DocumentErrors([Problem(framework.slug, "a draft version already exists; edit that one")])
    if Framework.objects.filter(slug=framework.slug, version=version).exists():
        raise DocumentErrors([Problem(framework.slug, f"version {version} already exists")])
    document = read_framework(framework) | {"version": version, "status": FrameworkStatus.DRAFT}
    draft = write_document(document, status=FrameworkStatus.DRAFT, owner=framework.owner, derived_from=framework)
    audit(actor=actor, action="framework.start_draft", obj=draft, data={"from": framework.version})
    return draft


def element_is_editable(element: Element) -> bool:
    return element.framework.status == FrameworkStatus.DRAFT


def _framework_summary(document: dict[str, Any]) -> str:
    units = [unit for unit in document.get("units") or [] if isinstance(unit, dict)]
    elements = sum(len(unit.get("elements") or []) for unit in units)
    return _("roles: %(roles)d, units: %(units)d, elements: %(elements)d") % {
        "roles": len(document.get("roles") or []),
        "units": len(units),
        "elements": elements,
    }


def framework_import_file(
    *,
    data: bytes,
    filename: str,
    format: str | None = None,
    actor: Any = None,
    owner: Any = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import a framework file in any registered format (``interchange.formats.FORMATS``), all or nothing.

    The size limit (``FRAMEWORK_IMPORT_MAX_BYTES``), the encoding (UTF-8, with or without a byte-order
    mark), the format's own reading and the native schema are checked before anything is written; then
    :func:`framework_import_document` validates and stores the document in one transaction. Reading
    writes nothing, so it runs before that transaction opens: on SQLite a transaction holds the
    database's write lock, which a long parse must not keep from other requests.
    Every problem names the file, and the line and field where the format can tell. ``progress``
    receives a line of text at each step.
    """
    source = PurePath(filename).name or filename
    report = progress or (lambda _message: None)
    limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
    if len(data) > limit:
        message = _("the file is larger than the %(limit)d bytes an import accepts (FRAMEWORK_IMPORT_MAX_BYTES)") % {
            "limit": limit
        }
        raise DocumentErrors([Problem(source, message)])
    decode_text(data, source=source)  # refuses empty files and anything that is not UTF-8, with its place
    spec = get_format(format, source=source) if format else get_format(guess_format(source, data), source=source)
    report(
        _("Reading %(file)s as %(format)s (%(size)d bytes)") % {"file": source, "format": spec.label, "size": len(data)}
    )
    document = spec.read(data, source=source)
    notes = tuple(spec.import_notes(document))
    for note in notes:
        report(note)
    if not spec.native:  # native files are checked against the schema, with lines, while they are read
        found = schema_problems(document)
        if found:
            raise DocumentErrors(capped([Problem(place(source, None, path_text(p)), m) for p, m in found], source))
    report(
        _("Checking and storing %(slug)s %(version)s: %(summary)s")
        % {"slug": document.get("slug"), "version": document.get("version"), "summary": _framework_summary(document)}
    )
    try:
        result = framework_import_document(document=document, actor=actor, owner=owner, source=source)
    except DocumentErrors as exc:
        raise DocumentErrors(capped(spec.relocate(data, source=source, problems=exc.problems), source)) from None
    framework = result.framework
    if result.created:
        report(
            _("Imported %(slug)s %(version)s (%(status)s)")
            % {"slug": framework.slug, "version": framework.version, "status": framework.get_status_display()}
        )
    else:
        report(
            _("%(slug)s %(version)s is already stored with exactly this content; nothing changed")
            % {"slug": framework.slug, "version": framework.version}
        )
    return replace(result, notes=notes)


def framework_export(*, framework: Framework, format: str) -> bytes:
    """The bytes of a stored framework version in one of the registered formats.

    Deterministic: the same version exports to the same bytes. CASE stamps every object with a
    ``lastChangeDateTime``; it is the version's publication (or last change) time, as on the CASE endpoints.
    """
    return get_format(format).write(read_framework(framework), changed=framework.published_at or framework.updated_at)


# --- framework imports from the import page (run by a background task) --------------------------

IMPORT_STOPPED = gettext_lazy(
    "the import stopped before it finished (its worker ended); nothing was imported: upload the file again"
)
IMPORT_CRASHED = gettext_lazy("the import stopped because of an unexpected error; nothing was imported")


@transaction.atomic
def import_job_create(*, actor: Any, data: bytes, filename: str, format: str = "", owner: Any = None) -> ImportJob:
    """Keep an uploaded framework file as a queued import job (the caller enqueues the task)."""
    if not selectors.can_import_frameworks(actor):
        raise PermissionDenied
    if owner is None and not actor.is_superuser:
        raise PermissionDenied
    if owner is not None and not selectors.import_owner_choices(actor).filter(pk=owner.pk).exists():
        raise PermissionDenied
    job = ImportJob.objects.create(
        created_by=actor,
        owner=owner,
        filename=Path(filename).name[:255] or "upload",
        format=format,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    audit(actor=actor, action="framework_import.create", obj=job, data={"filename": job.filename, "size": job.size})
    return job


def import_job_attach_task(*, job: ImportJob, task_id: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(task_id=task_id[:64])
    job.task_id = task_id[:64]


@transaction.atomic
def import_job_start(*, job_id: str) -> ImportJob | None:
    """queued → running; None when the job is gone or was already taken."""
    job = ImportJob.objects.select_for_update().filter(public_id=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return None
    job.status, job.started_at, job.progress = ImportStatus.RUNNING, timezone.now(), import_progress.FIRST
    job.save(update_fields=["status", "started_at", "progress", "updated_at"])
    audit(actor=None, action="framework_import.start", obj=job)
    return job


@transaction.atomic
def import_job_succeed(*, job: ImportJob, result: ImportResult, message: str = "") -> ImportJob:
    """running → succeeded: link the framework, drop the uploaded bytes."""
    job.status, job.progress, job.finished_at = ImportStatus.SUCCEEDED, 100, timezone.now()
    job.framework, job.framework_created, job.message, job.data = result.framework, result.created, message[:300], b""
    fields = ["status", "progress", "finished_at", "framework", "framework_created", "message", "data", "updated_at"]
    job.save(update_fields=fields)
    audit(
        actor=None,
        action="framework_import.succeed",
        obj=job,
        data={"framework": str(result.framework.public_id), "created": result.created},
    )
    return job


@transaction.atomic
def import_job_fail(*, job: ImportJob, problems: list[Problem], message: str = "") -> ImportJob:
    """queued or running → failed, with every problem (file, line, field and message); drops the uploaded bytes."""
    job.status, job.finished_at, job.message, job.data = ImportStatus.FAILED, timezone.now(), message[:300], b""
    job.problems = [{"where": problem.where, "message": problem.message} for problem in problems]
    job.save(update_fields=["status", "finished_at", "message", "data", "problems", "updated_at"])
    audit(actor=None, action="framework_import.fail", obj=job, data={"problems": len(problems)})
    return job


class _ImportProgress:
    """The ``progress`` callback given to the importer: publishes at most twice a second."""

    def __init__(self, job: ImportJob) -> None:
        self.job_id = job.public_id
        self.percent = import_progress.FIRST
        self.message = ""
        self._published = 0.0

    def __call__(self, message: str) -> None:
        self.percent, self.message = import_progress.estimate(self.percent, message), message
        now = time.monotonic()
        if now - self._published >= 0.5:
            self._published = now
            try:
                import_progress.publish(self.job_id, self.percent, message)
            except OSError:
                logger.warning("could not publish the progress of import %s", self.job_id, exc_info=True)


def _check_slug_owner(result: ImportResult, before: set[tuple[str, Any]], *, actor: Any, source: str) -> None:
    """An import may add versions only to frameworks the uploader edits (never to another organisation's slug)."""
    if not result.created or getattr(actor, "is_superuser", False):
        return
    allowed = {organisation.pk for organisation in selectors.import_owner_choices(actor)}
    slug = result.framework.slug
    if {owner for other, owner in before if other == slug} - allowed:
        raise DocumentErrors(
            [
                Problem(
                    f"{source}: slug",
                    _("the framework '%(slug)s' belongs to another organisation; give this framework its own slug")
                    % {"slug": slug},
                )
            ]
        )


def import_job_run(*, job_id: str) -> ImportJob | None:
    """Run a queued import: read and store the file in one transaction, then record the outcome on the job.

    If the process dies midway, the transaction is rolled back (nothing half-written) and the job stays
    *running* until :func:`import_job_fail_if_stale` marks it failed.
    """
    job = import_job_start(job_id=job_id)
    if job is None:
        return None
    reporter = _ImportProgress(job)
    language = getattr(job.created_by, "preferred_language", None) or settings.LANGUAGE_CODE
    with translation.override(language):  # messages and problems in the uploader's language
        try:
            with transaction.atomic():
                before = set(Framework.objects.values_list("slug", "owner_id"))
                result = framework_import_file(
                    data=bytes(job.data),
                    filename=job.filename,
                    format=job.format or None,
                    actor=job.created_by,
                    owner=job.owner,
                    progress=reporter,
                )
                _check_slug_owner(result, before, actor=job.created_by, source=job.filename)
        except DocumentErrors as exc:
            return import_job_fail(job=job, problems=exc.problems, message=reporter.message)
        except Exception:
            logger.exception("framework import %s failed", job.public_id)
            problem = Problem(job.filename, str(IMPORT_CRASHED))
            return import_job_fail(job=job, problems=[problem], message=reporter.message)
        finally:
            import_progress.clear(job.public_id)
    return import_job_succeed(job=job, result=result, message=reporter.message)


def import_job_fail_if_stale(*, job: ImportJob, older_than: timedelta | None = None) -> ImportJob:
    """Mark a running job failed when it has shown no sign of life for ``older_than`` (its worker died)."""
    if job.status != ImportStatus.RUNNING:
        return job
    older_than = timedelta(seconds=settings.FRAMEWORK_IMPORT_STALE_SECONDS) if older_than is None else older_than
    live = import_progress.read(job.public_id)
    heartbeat = max(filter(None, [job.started_at, live.at if live else None]), default=job.updated_at)
    if timezone.now() - heartbeat < older_than:
        return job
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().defer("data").get(pk=job.pk)
        if locked.status != ImportStatus.RUNNING:
            return locked
        failed = import_job_fail(job=locked, problems=[Problem(job.filename, str(IMPORT_STOPPED))])
    import_progress.clear(job.public_id)
    return failed


def import_jobs_fail_stale(*, older_than: timedelta | None = None) -> int:
    """Mark every stale running import failed (run before starting a worker); returns how many."""
    running = ImportJob.objects.filter(status=ImportStatus.RUNNING).defer("data")
    return sum(import_job_fail_if_stale(job=job, older_than=older_than).is_finished for job in running)


@transaction.atomic
def element_align_esco(*, element: Element, uri: str, actor: Any) -> tuple[Any, bool]:
    """Align a draft's element to an ESCO skill or occupation ("related"). Idempotent; editors only, audited."""
    framework = element.framework
    _require_editor(actor, framework)
    if not framework.is_editable:
        raise DocumentErrors([Problem(str(framework), "only a draft version can be changed")])
    labels = labels_for_uris([uri])
    if uri not in labels:
        raise DocumentErrors([Problem(uri, f"ESCO concept not found: {uri}")])
    target = AlignmentTarget.ESCO_OCCUPATION if "/esco/occupation/" in uri else AlignmentTarget.ESCO_SKILL
    existing = element.alignments.filter(target=target, uri=uri).first()
    if existing is not None:
        return existing, False
    alignment = element.alignments.create(framework=framework, target=target, uri=uri, label=labels[uri][:300])
    audit(actor=actor, action="framework.align_esco", obj=element, data={"uri": uri})
    return alignment, True
