"""Writes: signing keys, issuance, revocation, status lists; and verification (docs/credentials.md).

Every state change is atomic and audited. Issued credentials never change except by ``credential_revoke``.
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skills4cities.core.audit import audit
from skills4cities.credentials import keyencryption, selectors, signing
from skills4cities.credentials.composition import credential as compose
from skills4cities.credentials.composition.did import did_document as compose_did_document
from skills4cities.credentials.composition.status_list import MIN_SIZE_BITS, status_list_credential
from skills4cities.credentials.enums import CredentialKind, VerificationState
from skills4cities.credentials.models import Credential, SigningKey, StatusList
from skills4cities.frameworks import selectors as framework_selectors

MAX_DOCUMENT_BYTES = 256 * 1024  # what openbadgeslib's verifier accepts; the upload form uses the same limit
STATUS_LIST_SIZE = MIN_SIZE_BITS
STATUS_LIST_FILL = STATUS_LIST_SIZE // 2  # a new list once half full keeps random allocation cheap
STATUS_LIST_VALIDITY = timedelta(days=7)
STATUS_LIST_REFRESH = timedelta(days=1)


# ── keys ────────────────────────────────────────────────────────────────────────────────────────────────


def signing_key_current() -> SigningKey:
    """The active Ed25519 key, created on first use."""
    key = SigningKey.objects.filter(active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _new_key(actor=None)
    except IntegrityError:  # another process created it first
        return SigningKey.objects.get(active=True)


def _new_key(*, actor: Any) -> SigningKey:
    pem, multibase = signing.generate_key()
    number = (SigningKey.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    key = SigningKey.objects.create(
        number=number, public_key_multibase=multibase, private_key_encrypted=keyencryption.encrypt(pem)
    )
    audit(actor=actor, action="credentials.key_created", obj=key, data={"fragment": key.fragment})
    return key


def signing_key_private_pem(key: SigningKey) -> str:
    """The PEM of ``key``'s private half, decrypted for signing: the one place it is decrypted. Raises
    ``keyencryption.KeyEncryptionError`` (naming CREDENTIALS_KEY_ENCRYPTION_KEYS) when no key-encryption key fits,
    or when the decrypted key is not the one the row publishes (a token moved from another row)."""
    return _decrypted(key, include_derived=False)


def _decrypted(key: SigningKey, *, include_derived: bool) -> str:
    pem = keyencryption.decrypt(
        key.private_key_encrypted, what=f"signing key {key.fragment}", include_derived=include_derived
    )
    if signing.public_multibase(pem) != key.public_key_multibase:
        raise keyencryption.KeyEncryptionError(
            f"The private key stored for signing key {key.fragment} does not match its public key."
        )
    return pem


@transaction.atomic
def signing_keys_reencrypt(*, actor: Any = None, from_secret_key: bool = False) -> tuple[int, int]:
    """Encrypt every key's private half with the first key-encryption key (after a KEK rotation):
    (re-encrypted, already current). ``from_secret_key`` also decrypts with the key derived from SECRET_KEY (once,
    when CREDENTIALS_KEY_ENCRYPTION_KEYS is first set). Idempotent; all keys or none (a key no KEK decrypts stops
    it with ``KeyEncryptionError``)."""
    changed = current = 0
    for key in SigningKey.objects.select_for_update().order_by("number"):
        pem = _decrypted(key, include_derived=from_secret_key)
        if keyencryption.encrypted_with_first_key(key.private_key_encrypted):
            current += 1
            continue
        key.private_key_encrypted = keyencryption.encrypt(pem)
        key.save(update_fields=["private_key_encrypted", "updated_at"])
        audit(actor=actor, action="credentials.key_reencrypted", obj=key, data={"fragment": key.fragment})
        changed += 1
    return changed, current


@transaction.atomic
def signing_key_rotate(*, actor: Any = None) -> SigningKey:
    """Retire the active key (it stays in the DID document, so what it signed still verifies) and make a new one."""
    now = timezone.now()
    for old in SigningKey.objects.select_for_update().filter(active=True):
        old.active, old.retired_at = False, now
        old.save(update_fields=["active", "retired_at", "updated_at"])
        audit(actor=actor, action="credentials.key_retired", obj=old, data={"fragment": old.fragment})
    return _new_key(actor=actor)


def did_document() -> dict[str, Any]:
    """Our did:web document: all keys, active and retired, as Multikey assertion methods."""
    keys = selectors.all_keys() or [signing_key_current()]
    return compose_did_document(selectors.issuer_did(), [(key.fragment, key.public_key_multibase) for key in keys])


# ── status lists ────────────────────────────────────────────────────────────────────────────────────────


def _allocate_index() -> tuple[StatusList, int]:
    """A random free index (the spec recommends random order) in the newest list that is not half full."""
    status_list = StatusList.objects.select_for_update().order_by("-number").first()
    if status_list is None or status_list.allocated >= STATUS_LIST_FILL:
        number = status_list.number + 1 if status_list else 1
        status_list = StatusList.objects.create(number=number, size=STATUS_LIST_SIZE)
    used = set(Credential.objects.filter(status_list=status_list).values_list("status_index", flat=True))
    index = secrets.randbelow(status_list.size)
    while index in used:
        index = secrets.randbelow(status_list.size)
    status_list.allocated += 1
    status_list.save(update_fields=["allocated", "updated_at"])
    return status_list, index


def _sign_status_list(status_list: StatusList, *, now: datetime) -> None:
    key = signing_key_current()
    unsigned = status_list_credential(
        issuer_did=selectors.controller_of(key),
        url=selectors.status_list_url(status_list),
        indices=selectors.revoked_indices(status_list),
        size=status_list.size,
        valid_from=now,
        valid_until=now + STATUS_LIST_VALIDITY,
    )
    signed = signing.sign_document(
        unsigned, private_pem=signing_key_private_pem(key), verification_method=selectors.verification_method_of(key)
    )
    status_list.document = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    status_list.signed_at = now
    status_list.save(update_fields=["document", "signed_at", "updated_at"])


def status_list_document(*, status_list: StatusList) -> str:
    """The signed BitstringStatusListCredential, re-signed when missing or older than a day."""
    now = timezone.now()
    if not status_list.document or status_list.signed_at is None or now - status_list.signed_at > STATUS_LIST_REFRESH:
        with transaction.atomic():
            locked = StatusList.objects.select_for_update().get(pk=status_list.pk)
            if not locked.document or locked.signed_at is None or now - locked.signed_at > STATUS_LIST_REFRESH:
                _sign_status_list(locked, now=now)
            status_list = locked
    return status_list.document


# ── issuance ────────────────────────────────────────────────────────────────────────────────────────────


def _page(name: str, *args: str) -> str:
    return selectors.site_url() + reverse(name, args=args)


def _eqf_name(level: int) -> str:
    return _("EQF level %(level)s") % {"level": level}


def _alignments_of(items: Iterable[Any]) -> list[compose.AlignmentTarget]:
    found: list[compose.AlignmentTarget] = []
    for item in items:
        if item.is_esco:
            found.append(
                compose.AlignmentTarget(
                    name=item.label or item.uri,
                    url=item.uri,
                    framework=compose.ESCO_FRAMEWORK,
                    target_type="ext:ESCOOccupation" if item.target == "esco-occupation" else "ext:ESCOSkill",
                )
            )
    return found


def _achievement(
    *, kind: str, role: Any, unit: Any, language: str, element_evidence: Mapping[str, str]
) -> tuple[compose.AchievementData, list[str], str, str]:
    """The achievement in ``language`` plus the credential's name and description."""
    framework = role.framework
    profile = framework_selectors.role_profile(role)
    if unit is not None:
        profile = [entry for entry in profile if entry["unit"].pk == unit.pk]
        if not profile:
            raise ValidationError(
                _("The unit %(unit)s is not part of the job role %(role)s.") % {"unit": unit.code, "role": role.title}
            )
    elements = [requirement.element for entry in profile for requirement in entry["requirements"]]
    lines = []
    alignments = [compose.eqf_alignment(role.eqf_level, _eqf_name(role.eqf_level))]
    for element in elements:
        how = _evidence_phrase(element_evidence.get(element.code, ""))
        lines.append(f"- {element.code} {element.title}" + (f": {how}" if how else ""))
        alignments.append(
            compose.AlignmentTarget(
                name=f"{element.code} {element.title}",
                url=_page("frameworks:element", framework.slug, element.code),
                framework=f"{framework.title} {framework.version}",
                code=element.code,
            )
        )
        alignments.extend(_alignments_of(element.alignments.all()))
    alignments.extend(_alignments_of((unit or role).alignments.all()))
    # One alignment per target URL, first wins (an ESCO skill can be aligned to several elements).
    unique: dict[str, compose.AlignmentTarget] = {}
    for target in alignments:
        unique.setdefault(target.url, target)
    params = {"role": role.title, "framework": framework.title, "version": framework.version}
    if kind == CredentialKind.UNIT:
        params["unit"] = f"{unit.code} {unit.title}"
        name = _("%(unit)s (unit micro-credential)") % params
        description = (
            _(
                "Unit micro-credential for the unit %(unit)s of the job role %(role)s, "
                "framework %(framework)s %(version)s."
            )
            % params
        )
        intro = _("Every element of the unit was passed by exam or validated by an assessor:")
        page, code = _page("frameworks:unit", framework.slug, unit.code), unit.code
    elif kind == CredentialKind.ROLE:
        name = _("%(role)s (job role certificate)") % params
        description = (
            _("Certificate for the job role %(role)s, framework %(framework)s %(version)s: all units certified.")
            % params
        )
        intro = _("Every unit of the role was certified; its elements were passed by exam or validated by an assessor:")
        page, code = _page("frameworks:role", framework.slug, role.slug), role.code
    else:
        subject = f"{unit.code} {unit.title}" if unit is not None else role.title
        params["subject"] = subject
        name = _("Certificate of attendance: %(subject)s") % params
        description = (
            _(
                "Certificate of attendance — not an exam certificate. The holder attended training on %(subject)s "
                "(framework %(framework)s %(version)s); no exam or assessment is certified by it."
            )
            % params
        )
        intro = _("The training covered these elements (attendance only, not assessed):")
        page = (
            _page("frameworks:unit", framework.slug, unit.code)
            if unit
            else _page("frameworks:role", framework.slug, role.slug)
        )
        code = unit.code if unit else role.code
    achievement = compose.AchievementData(
        id=page,
        kind=kind,
        name=name,
        description=description,
        criteria="\n".join([intro, *lines]),
        eqf_level=role.eqf_level,
        language=language,
        human_code=code,
        version=framework.version,
        alignments=tuple(unique.values()),
        tags=("attendance",) if kind == CredentialKind.ATTENDANCE else (),
    )
    return achievement, [element.code for element in elements], name, description


def _course_achievement(
    *, role: Any, course: Any, attendance: Sequence[tuple[Any, int]], language: str
) -> tuple[compose.AchievementData, list[str], str, str]:
    """The achievement of a certificate of attendance of a course: hours per module, never an exam result.

    ``attendance`` lists the course's modules in order with the hours attended (each at most the module's hours).
    """
    framework = role.framework
    attended = sum(hours for _module, hours in attendance)
    total = sum(module.hours for module, _hours in attendance)
    params = {
        "course": f"{course.code} {course.title}",
        "attended": attended,
        "total": total,
        "framework": framework.title,
        "version": framework.version,
    }
    name = _("Certificate of attendance: %(course)s") % params
    description = (
        _(
            "Certificate of attendance — not an exam certificate. The holder attended %(attended)d of the "
            "%(total)d hours of the course %(course)s (framework %(framework)s %(version)s); no exam or "
            "assessment is certified by it."
        )
        % params
    )
    intro = _("Hours attended per module of the course (attendance only, not assessed):")
    lines = [
        "- "
        + ngettext(
            "%(module)s: %(attended)d of %(hours)d hour attended",
            "%(module)s: %(attended)d of %(hours)d hours attended",
            module.hours,
        )
        % {"module": f"{module.code} {module.title}", "attended": hours, "hours": module.hours}
        for module, hours in attendance
    ]
    alignments = [compose.eqf_alignment(role.eqf_level, _eqf_name(role.eqf_level))]
    seen: set[str] = set()
    for module, _hours in attendance:
        for outcome in module.outcomes.select_related("element").order_by("position", "id"):
            element = outcome.element
            if element.code in seen:
                continue
            seen.add(element.code)
            alignments.append(
                compose.AlignmentTarget(
                    name=f"{element.code} {element.title}",
                    url=_page("frameworks:element", framework.slug, element.code),
                    framework=f"{framework.title} {framework.version}",
                    code=element.code,
                )
            )
    achievement = compose.AchievementData(
        id=_page("curriculum:index") + f"#course-{course.code}",
        kind=CredentialKind.ATTENDANCE,
        name=name,
        description=description,
        criteria="\n".join([intro, *lines]),
        eqf_level=role.eqf_level,
        language=language,
        human_code=course.code,
        version=framework.version,
        alignments=tuple(alignments),
        tags=("attendance",),
    )
    return achievement, sorted(seen), name, description


def _evidence_phrase(stream: str) -> str:
    """The certification rules name the evidence stream that met an element; say it in words."""
    phrases = {"exam": _("passed by exam"), "assessor": _("validated by an assessor")}
    return phrases.get(stream, stream)


def _holder_language(holder: Any) -> str:
    return str(getattr(holder, "preferred_language", "") or "en")


@transaction.atomic
def credential_issue(
    *,
    holder: Any,
    kind: str,
    role: Any,
    unit: Any = None,
    issued_by: Any,
    evidence_urls: Iterable[str] = (),
    valid_until: datetime | None = None,
    element_evidence: Mapping[str, str] | None = None,
    course: Any = None,
    attendance: Sequence[tuple[Any, int]] = (),
) -> Credential:
    """Compose, sign (Data Integrity eddsa-rdfc-2022 and VC-JWT) and store a credential in the holder's language.

    ``element_evidence`` maps element codes to how each was evidenced (from the certification rules); it goes
    into the criteria narrative. ``valid_until`` defaults to the validity period configured for the kind.
    A certificate of attendance of a course names the ``course`` and lists ``attendance``: each of its modules
    with the hours attended (the certification rules decide whether that is enough).
    """
    if kind not in CredentialKind.values:
        raise ValidationError(_("Unknown kind of credential: %(kind)s.") % {"kind": kind})
    if course is not None:
        if kind != CredentialKind.ATTENDANCE or unit is not None:
            raise ValidationError(_("Only a certificate of attendance is issued for a course."))
        if course.curriculum.framework_id != role.framework_id:
            raise ValidationError(_("The course and the job role belong to different frameworks."))
        if not attendance or any(not 0 <= hours <= module.hours for module, hours in attendance):
            raise ValidationError(_("A certificate of attendance of a course lists the hours attended per module."))
    if kind == CredentialKind.UNIT and unit is None:
        raise ValidationError(_("A unit micro-credential needs a unit."))
    if kind == CredentialKind.ROLE and unit is not None:
        raise ValidationError(_("A job role certificate is for the whole role, not for one unit."))
    if unit is not None and unit.framework_id != role.framework_id:
        raise ValidationError(_("The unit and the job role belong to different frameworks."))
    now = timezone.now().replace(microsecond=0)
    if valid_until is None:
        days = selectors.validity_days(kind)
        valid_until = now + timedelta(days=days) if days else None
    if valid_until is not None and valid_until <= now:
        raise ValidationError(_("The end of validity must be in the future."))
    urls = [url for url in evidence_urls if url]
    for url in urls:
        if not url.startswith(("https://", "http://")):
            raise ValidationError(_("Evidence links must be http(s) URLs: %(url)s") % {"url": url})
    key = signing_key_current()
    status_list, index = _allocate_index()
    language = _holder_language(holder)
    credential = Credential(
        holder=holder, kind=kind, role=role, unit=unit, course=course, framework=role.framework,
        issued_by=issued_by, issued_at=now, valid_until=valid_until, signing_key=key, status_list=status_list,
        status_index=index, language=language,
    )  # fmt: skip
    with translation.override(language):
        if course is not None:
            achievement, element_codes, name, description = _course_achievement(
                role=role, course=course, attendance=attendance, language=language
            )
        else:
            achievement, element_codes, name, description = _achievement(
                kind=kind, role=role, unit=unit, language=language, element_evidence=element_evidence or {}
            )
        data = compose.CredentialData(
            public_id=str(credential.public_id),
            name=name,
            description=description,
            issuer_did=selectors.controller_of(key),
            issuer_name=selectors.issuer_name(),
            issuer_url=selectors.site_url() + "/",
            holder=compose.Holder(
                name=holder.get_full_name() or holder.get_username(),
                email=holder.email or "",
                salt=secrets.token_hex(8),
            ),
            achievement=achievement,
            valid_from=now,
            valid_until=valid_until,
            status_list_url=selectors.status_list_url(status_list),
            status_index=index,
            evidence=tuple(
                compose.EvidenceLink(url=url, name=_("Evidence %(number)s") % {"number": n})
                for n, url in enumerate(urls, 1)
            ),
        )
    unsigned = compose.open_badge_credential(data)
    private_pem = signing_key_private_pem(key)  # outside the try: a key-encryption error is a configuration error
    try:
        signed = signing.sign_document(
            unsigned, private_pem=private_pem, verification_method=selectors.verification_method_of(key)
        )
    except Exception as error:  # openbadgeslib refuses documents its proof would not cover
        raise ValidationError(_("The credential could not be signed: %(error)s") % {"error": error}) from error
    credential.title = name[:300]
    credential.document = json.dumps(signed, ensure_ascii=False, indent=2)
    credential.jwt = signing.sign_jwt(
        compose.jwt_claims(signed), private_pem=private_pem, kid=selectors.verification_method_of(key)
    )
    credential.save()
    audit(
        actor=issued_by,
        action="credentials.issued",
        obj=credential,
        data={
            "kind": kind,
            "holder": str(holder.public_id),
            "role": role.slug,
            "unit": unit.code if unit else "",
            "course": course.code if course is not None else "",
            "elements": element_codes,
            "status_list": status_list.number,
            "status_index": index,
            "key": key.fragment,
        },
    )
    return credential


@transaction.atomic
def credential_revoke(*, credential: Credential, by: Any, reason: str) -> Credential:
    """Set the revocation bit (the status list is re-signed at once) and record who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the revocation."))
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This credential was already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = by if getattr(by, "is_authenticated", False) else None
    locked.revocation_reason = reason[:2000]
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    status_list = StatusList.objects.select_for_update().get(pk=locked.status_list_id)
    _sign_status_list(status_list, now=locked.revoked_at)
    audit(
        actor=by,
        action="credentials.revoked",
        obj=locked,
        data={"reason": locked.revocation_reason, "status_list": status_list.number, "index": locked.status_index},
    )
    credential.revoked_at, credential.revoked_by, credential.revocation_reason = (
        locked.revoked_at,
        locked.revoked_by,
        locked.revocation_reason,
    )
    return locked


def _role_by_slug(role_slug: str) -> Any:
    from django.contrib.auth.models import AnonymousUser

    for framework in framework_selectors.current_frameworks(AnonymousUser()):
        role = framework.roles.filter(slug=role_slug).select_related("framework").first()
        if role is not None:
            return role
    raise ValidationError(_("There is no published job role %(role)s.") % {"role": role_slug})


# ── verification ────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class VerificationResult:
    valid: bool
    revoked: bool
    reasons: list[str]
    credential: Credential | None = None
    state: str = VerificationState.INVALID
    expired: bool = False
    document: dict[str, Any] | None = None
    checks: list[str] = field(default_factory=list)


def _parse(document: dict[str, Any] | str | bytes) -> dict[str, Any]:
    if isinstance(document, dict):
        return document
    raw = document.encode() if isinstance(document, str) else document
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ValueError(_("The credential is larger than %(size)s KB.") % {"size": MAX_DOCUMENT_BYTES // 1024})
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_("This is not a JSON document.")) from None
    if not isinstance(parsed, dict):
        raise ValueError(_("A credential is a JSON object."))
    return parsed


def _reason_for(error: Exception) -> tuple[str, str]:
    message = str(error)
    lowered = message.lower()
    if "signature mismatch" in lowered or "invalid data integrity proof" in lowered:
        return VerificationState.INVALID, _(
            "The signature does not match: the credential was changed after it was signed."
        )
    if "has expired" in lowered:
        return VerificationState.EXPIRED, _("The credential has expired.")
    if "not yet valid" in lowered:
        return VerificationState.INVALID, _("The credential is not valid yet.")
    if "not known to this platform" in lowered or "does not belong to the credential issuer" in lowered:
        return VerificationState.UNKNOWN, _("The credential was not signed by this platform's keys.")
    return VerificationState.INVALID, _("The credential is not valid: %(detail)s") % {"detail": message}


@functools.lru_cache(maxsize=16)
def _our_trust(did: str, keys: tuple[tuple[int, str], ...]) -> tuple[frozenset[str], dict[str, Any]]:
    """The DIDs this platform vouches for and its DID document, for ``keys`` — every key, active and retired, as
    ``selectors.key_pairs`` read them for this verification: a function of them, so composed once per key set.
    The document is shared: read it, never change it."""
    models = [SigningKey(number=number, public_key_multibase=multibase) for number, multibase in keys]
    document = compose_did_document(did, [(key.fragment, key.public_key_multibase) for key in models])
    return frozenset(selectors.trusted_dids(models)), document


def credential_verify(document: dict[str, Any] | str | bytes) -> VerificationResult:
    """Check a credential as a stranger would, but resolving our own DID locally (never over the network):
    proof (eddsa-rdfc-2022 against our DID document), issuer, validFrom/validUntil and the revocation bit."""
    try:
        parsed = _parse(document)
    except ValueError as error:
        return VerificationResult(valid=False, revoked=False, reasons=[str(error)])
    trusted, our_document = _our_trust(selectors.issuer_did(), selectors.key_pairs())
    issuer = parsed.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    result = VerificationResult(valid=False, revoked=False, reasons=[], document=parsed)
    result.credential = selectors.credential_by_document_id(str(parsed.get("id", "")))
    if issuer_id not in trusted:
        result.state = VerificationState.UNKNOWN
        result.reasons.append(
            _("The issuer %(issuer)s is not this platform, so it cannot be checked here.") % {"issuer": issuer_id}
        )
        return result
    try:
        signing.verify_document(parsed, did_documents=lambda did: our_document if did == our_document["id"] else None)
    except Exception as error:  # OB3VerificationError and malformed input alike: both mean "not valid"
        state, reason = _reason_for(error)
        result.state = state
        result.expired = state == VerificationState.EXPIRED
        result.reasons.append(reason)
        if not result.expired:
            return result
    result.checks.append(_("The signature matches the issuer's key."))
    status = parsed.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if isinstance(status, dict) else []
    revoked = _revoked_by_status(entries, known=result.credential)
    if revoked is None:
        result.state = VerificationState.INVALID
        result.reasons.append(_("The credential's status list is not one of this platform's."))
        return result
    if result.credential is None:
        result.state = VerificationState.UNKNOWN
        result.reasons.append(_("The credential is signed by this platform but is not in its register."))
        return result
    if revoked:
        result.revoked = True
        result.state = VerificationState.REVOKED
        credential = result.credential
        result.reasons.append(
            _("The credential was revoked on %(date)s: %(reason)s")
            % {"date": credential.revoked_at.date().isoformat() if credential.revoked_at else "?",
               "reason": credential.revocation_reason}
        )  # fmt: skip
        return result
    if result.expired:
        return result
    result.checks.append(_("The credential has not been revoked."))
    result.valid = True
    result.state = VerificationState.VALID
    return result


def _revoked_by_status(entries: list[Any], *, known: Credential | None = None) -> bool | None:
    """True when a revocation bit is set in one of our lists, False when clear, None when not ours/unreadable.

    ``known`` is the register entry the document's id names, with the number of its status list selected along
    (``selectors.credential_by_document_id``): an entry naming its own list and index is read from it rather than
    queried again."""
    if not entries:
        return None
    prefix = selectors.site_url() + "/credentials/status/"
    revoked = False
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("statusPurpose") != "revocation":
            return None
        url = str(entry.get("statusListCredential", ""))
        number = url[len(prefix) :].strip("/") if url.startswith(prefix) else ""
        try:
            index = int(str(entry.get("statusListIndex")))
        except ValueError:
            return None
        if not number.isdigit():
            return None
        known_list = getattr(known, "status_list_number", None) if known is not None else None
        if known is not None and known_list == int(number) and known.status_index == index:
            revoked = revoked or known.revoked_at is not None
            continue
        found = Credential.objects.filter(status_list__number=int(number), status_index=index).values_list(
            "revoked_at", flat=True
        )
        if not found:
            return None
        revoked = revoked or found[0] is not None
    return revoked


# ── demo ────────────────────────────────────────────────────────────────────────────────────────────────

DEMO_ROLE = "smart-city-project-manager"


def credentials_demo_seed(*, holder: Any, issued_by: Any = None) -> Credential:
    """Idempotent: the demo holder gets one unit micro-credential (issued directly, not through the rules)."""
    existing = Credential.objects.filter(holder=holder).order_by("issued_at").first()
    if existing is not None:
        return existing
    role = _role_by_slug(DEMO_ROLE)
    unit = framework_selectors.role_profile(role)[0]["unit"]
    return credential_issue(holder=holder, kind=CredentialKind.UNIT, role=role, unit=unit, issued_by=issued_by)
