"""Verification of ``eddsa-rdfc-2022`` Open Badges 3.0 credentials: openbadgeslib's checks, pyld made fast.

The checks, their order and their messages are those of ``openbadgeslib.ob3.OB3LdpVerifier.verify``
(openbadgeslib 4.6.3, ADR 0011): size and structure screens, credential types, unsigned VC 1.1 aliases,
proof selection and options, the JSON-LD form check (the JSON must be exactly the compacted form of the
dataset the proof signs: no member re-keyed, aliased, dropped or moved), the issuer binding, the Ed25519
signature over RDFC-1.0 (URDNA2015) of the document and of the proof options, and the validity window.
What changes is only how the JSON-LD processor is driven:

1. **Processed contexts are remembered.** pyld re-processes every type-scoped context (each ``Alignment``,
   ``Achievement``, ``Profile`` … of the OB 3.0 context) on every node, because it applies them to a fresh
   clone of the active context whose cache key is new each time, and it canonicalises the context object as
   JSON to look it up. ``_Processor`` memoises ``_process_context`` by (active context id, local context) for
   immutable (frozen) active contexts only, so the same inputs give the very same frozen result.
2. **Inverse contexts** (for compaction) are memoised the same way, by the id of the frozen active context.
3. **Each expansion is done once.** The form check expands the document and the proof options; the
   canonicalisation reuses those expansions (``to_rdf`` would expand again, twice with openbadgeslib's
   duplicate-check scan) and runs URDNA2015 through openbadgeslib's metered guard, with the same work budget.
4. **Term expansions and IRI compactions are remembered** per frozen context: expanding a key or type against
   a context (``_expand_iri`` with ``vocab``), and choosing the term, CURIE or relative IRI for an IRI
   (``_compact_iri``; its search runs through every term of the context when none matches) for no value or a
   plain or typed literal — what pyld reads of those arguments fully determines its answer. Strings longer than
   512 characters are not remembered and each memo is emptied at 16,384 entries.
5. **The form check's context screen** compares the context documents a credential lists by a SHA-256 of
   their canonical JSON, computed once per allowlisted URL, instead of serialising them on every verification
   (``_context_check_loader``).

Only the pinned context documents of openbadgeslib's allowlist ever reach the processor: the form check
refuses any inline or nested ``@context`` before expansion, so the context memo holds a bounded set of entries.
No result of a check on one document is reused for another: what is remembered is how the pinned contexts
process, expand and compact terms and IRIs — never a document, a canonical form, a hash or a verdict.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from cachetools import LRUCache
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from frozendict import frozendict
from openbadgeslib._safejson import check as check_json
from openbadgeslib.ob3 import _canon_guard as guard
from openbadgeslib.ob3 import ldp
from openbadgeslib.ob3._context_validation import validate_document
from openbadgeslib.ob3.contexts import document_loader
from openbadgeslib.ob3.credential import OpenBadgeCredential
from openbadgeslib.ob3.did import _pem_from_vm
from openbadgeslib.ob3.verifier import OB3VerificationError, _check_validity_window, _check_vc_types
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

__all__ = ["canonical_nquads", "verify_credential_document"]

_MEMO_LIMIT = 4096  # processed contexts of the pinned documents: a few hundred in practice
_IRI_MEMO_LIMIT = 16384  # remembered term expansions and IRI compactions (each memo)
_IRI_MEMO_LENGTH = 512  # longer strings are never remembered: the memos stay small whatever is presented
_LOADER = document_loader()  # openbadgeslib's fail-closed allowlist; parsed once (load_context is lru_cached)
_RESOLVED: LRUCache[str, Any] = LRUCache(maxsize=256)
_LOCK = threading.RLock()  # pyld's ResolvedContext caches are not thread-safe


def _context_key(local_ctx: Any) -> tuple[str, Any]:
    if local_ctx is None or isinstance(local_ctx, str):
        return ("s", local_ctx)
    if isinstance(local_ctx, list) and all(isinstance(entry, str) for entry in local_ctx):
        return ("l", tuple(local_ctx))
    return ("o", id(local_ctx))  # a scoped context object of a pinned document: kept alive by the memo


def _literal_shape(value: Any) -> tuple[str, ...] | None:
    """What pyld's ``_compact_iri`` reads of ``value`` when it is none or a literal without language, direction or
    index; None for anything else (a node, a list, a language-tagged or indexed literal: not remembered)."""
    if value is None:
        return ("none",)
    if type(value) is dict and "@value" in value:
        if len(value) == 1:
            return ("plain",)
        if len(value) == 2 and isinstance(value.get("@type"), str):
            return ("typed", value["@type"])
    return None


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor with context processing, inverse contexts, term expansions and IRI compactions memoised
    (see the module docstring)."""

    _processed: dict[tuple[Any, ...], tuple[Any, Any]] = {}
    _inverse: dict[str, Any] = {}
    _terms: dict[tuple[Any, ...], Any] = {}
    _compacted: dict[tuple[Any, ...], Any] = {}

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        # Outside context processing (no local context) the expansion of a term against a frozen context is a
        # function of the context and the arguments: pyld reads only the context's mappings, @vocab and @base.
        # Only vocabulary-relative expansions (keys and types, the same few hundred terms in every credential)
        # are remembered; an @id or other value is expanded each time.
        uuid = active_ctx.get("_uuid") if isinstance(active_ctx, frozendict) else None
        if (
            uuid is None
            or not vocab
            or local_ctx is not None
            or defined is not None
            or not isinstance(value, str)
            or len(value) > _IRI_MEMO_LENGTH
            or not (base is None or isinstance(base, str))
        ):
            return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        key = (uuid, value, base)
        try:
            return self._terms[key]
        except KeyError:
            pass
        result = super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        if len(self._terms) >= _IRI_MEMO_LIMIT:
            self._terms.clear()
        self._terms[key] = result
        return result

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        uuid = active_ctx.get("_uuid") if isinstance(active_ctx, frozendict) else None
        if uuid is None or cycles:  # a context under construction, or mid-way through a cycle check
            return super()._process_context(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
            )
        key = (
            uuid,
            _context_key(local_ctx),
            override_protected,
            propagate,
            validate_scoped,
            options.get("base", ""),
            options.get("processingMode"),
        )
        hit = self._processed.get(key)
        if hit is not None and (key[1][0] != "o" or hit[0] is local_ctx):
            return hit[1]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )
        if isinstance(result, frozendict):
            if len(self._processed) >= _MEMO_LIMIT:
                self._processed.clear()
            self._processed[key] = (local_ctx, result)
        return result

    def _compact_iri(
        self,
        active_ctx: Any,
        iri: Any,
        value: Any = None,
        vocab: bool = False,
        base: Any = None,
        reverse: bool = False,
    ) -> Any:
        # pyld's choice of a term (or CURIE, or relative IRI) for an IRI reads the frozen context (its mappings,
        # inverse context, @vocab, @base), the flags and, of the value, only its shape: none, a plain literal
        # ({"@value": x}) or a typed one (its @type). For those, the same arguments give the same answer.
        shape = _literal_shape(value)
        uuid = active_ctx.get("_uuid") if isinstance(active_ctx, frozendict) else None
        if (
            shape is None
            or uuid is None
            or not isinstance(iri, str)
            or len(iri) > _IRI_MEMO_LENGTH
            or len(shape[-1]) > _IRI_MEMO_LENGTH
            or not (base is None or isinstance(base, str))
        ):
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        key = (uuid, iri, shape, vocab, base, reverse)
        try:
            return self._compacted[key]
        except KeyError:
            pass
        result = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        if len(self._compacted) >= _IRI_MEMO_LIMIT:
            self._compacted.clear()
        self._compacted[key] = result
        return result

    def _get_inverse_context(self, active_ctx: Any) -> Any:
        uuid = active_ctx.get("_uuid") if isinstance(active_ctx, frozendict) else None
        if uuid is not None and uuid in self._inverse:
            return self._inverse[uuid]
        with guard.PYLD_LOCK:  # pyld also writes its process-wide inverse cache
            inverse = super()._get_inverse_context(active_ctx)
        if uuid is not None:
            if len(self._inverse) >= _MEMO_LIMIT:
                self._inverse.clear()
            self._inverse[uuid] = inverse
        return inverse


_CONTEXT_DIGESTS: dict[str, dict[str, str]] = {}


def _context_check_loader(url: str, options: Any = None) -> dict[str, str]:
    """The loader the form check's context screen gets: the allowlist of ``_LOADER`` (an unlisted URL raises its
    error, every time), answering with the SHA-256 of the context document's canonical JSON.

    The screen only compares the documents a credential's contexts load (the same document listed twice under two
    URLs is refused), and it serialises each one to compare them — tens of kilobytes of JSON per context per
    verification. Equal digests are equal documents, so the comparison's outcome is unchanged. The expansions never
    see this loader: ``_options`` always passes ``_LOADER``."""
    found = _CONTEXT_DIGESTS.get(url)
    if found is None:
        loaded = _LOADER(url, options)
        document = loaded.get("document") if isinstance(loaded, dict) else loaded
        canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False)  # as the screen does
        found = {"document": hashlib.sha256(canonical.encode()).hexdigest()}
        _CONTEXT_DIGESTS[url] = found  # bounded: only the allowlisted URLs load
    return found


def _options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    merged = dict(options or {})
    merged["documentLoader"] = _LOADER  # never another loader: the memo assumes the pinned documents
    merged["contextResolver"] = ContextResolver(_RESOLVED, _LOADER)
    return merged


class _Expansions:
    """The ``jsonld`` object openbadgeslib's form check calls, remembering each expansion by input object."""

    def __init__(self) -> None:
        self.done: dict[int, tuple[Any, Any]] = {}

    def expand(self, document: Any, options: Mapping[str, Any] | None = None) -> Any:
        expanded = _Processor().expand(document, _options(options))
        self.done[id(document)] = (document, expanded)
        return expanded

    def compact(self, document: Any, context: Any, options: Mapping[str, Any] | None = None) -> Any:
        # The form check compacts what expand() returned (expanded form, on which expansion is the identity):
        # pyld would expand it once more.
        merged = _options(options)
        merged["skipExpansion"] = True
        return _Processor().compact(document, context, merged)

    def to_rdf(self, document: Any, options: Mapping[str, Any] | None = None) -> Any:
        return _Processor().to_rdf(document, _options(options))

    def expanded(self, document: Any) -> Any:
        found = self.done.get(id(document))
        if found is not None and found[0] is document:
            return found[1]
        return self.expand(document)


def _dataset(expanded: Any) -> dict[str, Any]:
    """``jsonld.to_rdf`` after its expansion step (pyld 3.3 ``JsonLdProcessor.to_rdf``), same defaults."""
    processor = _Processor()
    issuer = IdentifierIssuer("_:b")
    options = _options({"base": "", "produceGeneralizedRdf": False, "processingMode": "json-ld-1.1"})
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    dataset = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or jsonld._is_absolute_iri(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


def _canonize(expanded: Any, budget: Any) -> str:
    """RDFC-1.0 N-Quads of an expanded document, within openbadgeslib's work budget (poison graphs)."""
    pairs, widest, where = guard._scan_node_map(expanded)
    budget.take_pairs(pairs, f"; the largest property holds {widest} values: {where}")
    return str(guard.canonize_dataset(_dataset(expanded), budget))


def canonical_nquads(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of ``document`` through the fast processor (tests compare it with pyld)."""
    with _LOCK:
        try:
            return _canonize(_Expansions().expand(document), guard.WorkBudget())
        except Exception as error:
            raise ldp._canonization_failure(error) from error


def _parse(document: str | bytes | dict[str, Any]) -> dict[str, Any]:
    """``OB3LdpVerifier._parse_document`` without its defensive deep copy of a dict: nothing here mutates it."""
    if not isinstance(document, dict):
        return dict(ldp.OB3LdpVerifier._parse_document(document))
    try:
        check_json(document)
        size = len(json.dumps(document))
    except (TypeError, ValueError, RecursionError) as error:
        raise OB3VerificationError(f"credential document is not plain JSON: {error}") from error
    if size > ldp.MAX_LDP_DOCUMENT_BYTES:
        raise OB3VerificationError(f"credential document exceeds the {ldp.MAX_LDP_DOCUMENT_BYTES}-byte limit")
    return document


@functools.lru_cache(maxsize=64)
def _multibase_key(multibase: str) -> Any:
    return load_pem_public_key(_pem_from_vm({"publicKeyMultibase": multibase}))


def _public_key(entry: Any) -> Any:
    """The public key of a verification method entry, as openbadgeslib's ``_pem_from_vm`` reads it; a Multikey
    is decoded once per process (a pure function of its string), a JWK each time."""
    multibase = entry.get("publicKeyMultibase") if isinstance(entry, dict) else None
    if isinstance(multibase, str) and multibase.startswith("z") and not isinstance(entry.get("publicKeyJwk"), dict):
        return _multibase_key(multibase)
    return load_pem_public_key(_pem_from_vm(entry))


def verify_credential_document(
    document: str | bytes | dict[str, Any], *, public_key_for: Callable[[str, str], Any]
) -> OpenBadgeCredential:
    """Verify an OB 3.0 credential with an ``eddsa-rdfc-2022`` proof; return openbadgeslib's credential model.

    ``public_key_for(issuer_id, verification_method)`` returns the verification method entry (a dict with
    ``publicKeyMultibase``) the issuer's DID document lists for assertions, or raises
    ``OB3VerificationError``; it is called only after the method was bound to the issuer DID.
    Raises ``OB3VerificationError`` on any failure.
    """
    doc = _parse(document)
    ldp._screen_structure(doc, contexts=False)
    _check_vc_types(doc)
    ldp._reject_unsigned_ldp_aliases(doc)
    proof = ldp._select_proof(doc)
    ldp._validate_proof(proof, "assertionMethod")
    if proof.get("cryptosuite") != "eddsa-rdfc-2022":
        raise OB3VerificationError("only eddsa-rdfc-2022 proofs are issued by this platform")
    try:
        guard.require_guard()
    except guard.CanonicalizationGuardUnavailable as error:
        raise ldp.OB3GuardUnavailable(f"cannot canonicalize safely: {error}") from error

    unsecured = {key: value for key, value in doc.items() if key != "proof"}
    proof_config = {key: value for key, value in proof.items() if key != "proofValue"}
    proof_config["@context"] = doc.get("@context")  # vc-di-eddsa: proof options in the document's context
    expansions = _Expansions()
    with _LOCK:
        # The JSON-LD form check (VC Data Integrity 2.4.1), before anything is read from the JSON.
        validate_document(unsecured, proof_config, _context_check_loader, expansions)
    try:
        credential = OpenBadgeCredential.from_vc_document(doc)
    except (KeyError, ValueError, TypeError) as error:
        raise OB3VerificationError(f"Malformed credential document: {error}") from error

    method = proof["verificationMethod"]
    issuer_id = credential.issuer.id
    if not issuer_id.startswith("did:"):
        raise OB3VerificationError(f"the credential issuer {issuer_id!r} is not a DID")
    if method.partition("#")[0] != issuer_id:
        raise OB3VerificationError(
            f"proof verificationMethod {method!r} does not belong to the credential issuer {issuer_id!r}"
        )
    public_key = _public_key(public_key_for(issuer_id, method))
    if not isinstance(public_key, Ed25519PublicKey):
        raise OB3VerificationError("eddsa-rdfc-2022 requires an Ed25519 verification key")

    # The lower-level checks of openbadgeslib's verify_data_integrity_proof, then the signature. Its second
    # structure screen (scale 2, @context totals) is implied: the screen above ran at scale 1, the stricter
    # caps, and the form check bounded every @context before the JSON-LD processor saw it.
    ldp._require_within_size_cap(doc)
    signature = ldp._decode_proof_value(proof.get("proofValue"))
    budget = guard.WorkBudget()  # shared by both canonicalisations, as openbadgeslib's _hash_data does
    with _LOCK:
        try:
            config_nquads = _canonize(expansions.expanded(proof_config), budget)
            document_nquads = _canonize(expansions.expanded(unsecured), budget)
        except Exception as error:
            raise ldp._canonization_failure(error) from error
    data = hashlib.sha256(config_nquads.encode()).digest() + hashlib.sha256(document_nquads.encode()).digest()
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise OB3VerificationError("Invalid Data Integrity proof (signature mismatch)") from None
    except Exception as error:
        raise OB3VerificationError(f"could not verify the Data Integrity proof: {error}") from error
    _check_validity_window(credential)
    return credential
