"""The fast verification path (credentials.dataintegrity) rejects what openbadgeslib's verifier rejects."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from openbadgeslib.ob3 import OB3LdpVerifier
from openbadgeslib.ob3.contexts import document_loader
from openbadgeslib.ob3.verifier import OB3VerificationError
from pyld import jsonld

from skills4cities.credentials import dataintegrity, selectors, services, signing
from skills4cities.credentials.enums import VerificationState

VC_VALID_UNTIL = "https://www.w3.org/2018/credentials#validUntil"


def _document(credential: Any) -> dict[str, Any]:
    return dict(json.loads(credential.document))


def _resign(document: dict[str, Any], *, private_pem: str, method: str) -> dict[str, Any]:
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    return signing.sign_document(unsigned, private_pem=private_pem, verification_method=method)


def _reference_verdict(document: dict[str, Any]) -> bool:
    """openbadgeslib's own verifier, our DID document served locally: the verdict the fast path must match."""
    did_document = services.did_document()

    def download(url: str) -> bytes:
        return json.dumps(did_document).encode()

    try:
        OB3LdpVerifier().verify(copy.deepcopy(document), download=download)
    except OB3VerificationError:
        return False
    return True


def _fast_verdict(document: dict[str, Any]) -> bool:
    did_document = services.did_document()
    try:
        signing.verify_document(copy.deepcopy(document), did_documents=lambda did: did_document)
    except OB3VerificationError:
        return False
    return True


def test_canonical_form_is_pyld_urdna2015(credential: Any) -> None:
    document = _document(credential)
    proof = document.pop("proof")
    config = {key: value for key, value in proof.items() if key != "proofValue"} | {"@context": document["@context"]}
    for item in (document, config, document):  # twice: a remembered context must give the same output
        expected = jsonld.normalize(
            copy.deepcopy(item),
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader()},
        )
        assert dataintegrity.canonical_nquads(item) == expected


def test_verification_does_not_change_the_document(credential: Any) -> None:
    document = _document(credential)
    before = copy.deepcopy(document)
    assert services.credential_verify(document).valid
    assert document == before


def _tamper_name(d: dict[str, Any]) -> None:
    d["credentialSubject"]["achievement"]["name"] += " (forged)"


def _tamper_alignment(d: dict[str, Any]) -> None:
    d["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"] = "https://example.org/other"


def _add_undefined_top_term(d: dict[str, Any]) -> None:
    d["forgedClaim"] = "grade A"


def _add_undefined_nested_term(d: dict[str, Any]) -> None:
    d["credentialSubject"]["achievement"]["forgedLevel"] = "8"


def _add_inline_context(d: dict[str, Any]) -> None:
    d["@context"] = [*d["@context"], {"forgedClaim": "https://example.org/forged"}]
    d["forgedClaim"] = "grade A"


def _rekey_valid_until(d: dict[str, Any]) -> None:
    d[VC_VALID_UNTIL] = d.pop("validUntil")


def _drop_valid_until(d: dict[str, Any]) -> None:
    del d["validUntil"]


def _change_created(d: dict[str, Any]) -> None:
    d["proof"]["created"] = "2020-01-01T00:00:00Z"


def _change_purpose(d: dict[str, Any]) -> None:
    d["proof"]["proofPurpose"] = "authentication"


def _change_cryptosuite(d: dict[str, Any]) -> None:
    d["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"


def _foreign_method(d: dict[str, Any]) -> None:
    d["proof"]["verificationMethod"] = d["issuer"]["id"] + "#key-99"


def _hide_status_in_nested_array(d: dict[str, Any]) -> None:
    d["credentialStatus"] = [[d["credentialStatus"]]]


def _truncate_signature(d: dict[str, Any]) -> None:
    d["proof"]["proofValue"] = d["proof"]["proofValue"][:-4]


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "tampered value": _tamper_name,
    "tampered alignment": _tamper_alignment,
    "undefined term added at the top": _add_undefined_top_term,
    "undefined term added in a nested node": _add_undefined_nested_term,
    "inline context": _add_inline_context,
    "validUntil re-keyed to its IRI": _rekey_valid_until,
    "validUntil removed": _drop_valid_until,
    "proof created changed": _change_created,
    "proof purpose changed": _change_purpose,
    "cryptosuite changed": _change_cryptosuite,
    "key not in the DID document": _foreign_method,
    "status hidden in a nested array": _hide_status_in_nested_array,
    "signature truncated": _truncate_signature,
}


def _retype_valid_from(d: dict[str, Any]) -> None:
    d["validFrom"] = {"@value": d["validFrom"], "@type": "http://www.w3.org/2001/XMLSchema#string"}


# The mutations the form check sees (not those of the proof or the status entry's nesting), and a literal whose
# type differs from its term's: the same property compacts to another spelling.
MUTATIONS_FOR_FORMS = {
    **{
        name: MUTATIONS[name]
        for name in (
            "tampered value",
            "undefined term added at the top",
            "undefined term added in a nested node",
            "validUntil re-keyed to its IRI",
            "validUntil removed",
        )
    },
    "validFrom typed as a string": _retype_valid_from,
}


@pytest.mark.parametrize("mutation", ["none", *MUTATIONS_FOR_FORMS], ids=["genuine", *MUTATIONS_FOR_FORMS])
def test_form_check_expansion_and_compaction_are_pyld(credential: Any, mutation: str) -> None:
    """The remembered IRI expansions and compactions give exactly pyld's expanded and compacted forms."""
    document = _document(credential)
    if mutation != "none":
        MUTATIONS_FOR_FORMS[mutation](document)
    proof = document.pop("proof")
    config = {key: value for key, value in proof.items() if key != "proofValue"} | {"@context": document["@context"]}
    options = {"documentLoader": document_loader()}
    for item in (document, config, document):  # twice: remembered answers must be the same
        expansions = dataintegrity._Expansions()
        expanded = expansions.expand(item)
        assert expanded == jsonld.expand(copy.deepcopy(item), options)
        compacted = expansions.compact(expanded, item["@context"])
        assert compacted == jsonld.compact(copy.deepcopy(expanded), item["@context"], options)


@pytest.mark.parametrize("mutation", list(MUTATIONS), ids=list(MUTATIONS))
def test_mutations_are_rejected_like_openbadgeslib_does(credential: Any, mutation: str) -> None:
    genuine = _document(credential)
    assert _fast_verdict(genuine) and _reference_verdict(genuine)
    document = _document(credential)
    MUTATIONS[mutation](document)
    assert _reference_verdict(document) is False
    assert _fast_verdict(document) is False
    result = services.credential_verify(json.dumps(document))
    assert (result.valid, result.state == VerificationState.VALID) == (False, False)
    assert result.reasons
    # The memo keeps processed contexts only: the genuine document still verifies afterwards.
    assert services.credential_verify(credential.document).valid


def test_tampered_value_is_reported_as_a_signature_mismatch(credential: Any) -> None:
    document = _document(credential)
    _tamper_name(document)
    result = services.credential_verify(document)
    assert (result.valid, result.state) == (False, VerificationState.INVALID)
    assert result.reasons == ["The signature does not match: the credential was changed after it was signed."]


def test_re_keyed_member_is_refused_by_the_json_ld_form_check(credential: Any) -> None:
    document = _document(credential)
    _rekey_valid_until(document)
    with pytest.raises(OB3VerificationError, match="other than by its term"):
        signing.verify_document(document, did_documents=lambda did: services.did_document())


def test_undefined_term_signed_by_us_is_still_refused(credential: Any) -> None:
    """Even with a valid signature over it, a member outside the pinned vocabularies is refused."""
    key = services.signing_key_current()
    document = _document(credential)
    _add_undefined_nested_term(document)
    resigned = _resign(
        document, private_pem=services.signing_key_private_pem(key), method=selectors.verification_method_of(key)
    )
    assert _reference_verdict(resigned) is _fast_verdict(resigned)
    document = _document(credential)
    _add_inline_context(document)
    resigned = _resign(
        document, private_pem=services.signing_key_private_pem(key), method=selectors.verification_method_of(key)
    )
    assert _reference_verdict(resigned) is False
    assert _fast_verdict(resigned) is False


def test_wrong_key_fails_even_under_our_verification_method(credential: Any) -> None:
    other_pem, _ = signing.generate_key()
    key = services.signing_key_current()
    forged = _resign(_document(credential), private_pem=other_pem, method=selectors.verification_method_of(key))
    result = services.credential_verify(forged)
    assert (result.valid, result.state) == (False, VerificationState.INVALID)
    assert result.reasons == ["The signature does not match: the credential was changed after it was signed."]


def test_resigned_by_us_after_tampering_is_valid_only_because_the_signature_is_ours(credential: Any) -> None:
    """The check is cryptographic, not a lookup of what we stored: our key over new content verifies."""
    key = services.signing_key_current()
    document = _document(credential)
    document["name"] = document["name"] + " (reissued)"
    resigned = _resign(
        document, private_pem=services.signing_key_private_pem(key), method=selectors.verification_method_of(key)
    )
    assert services.credential_verify(resigned).valid


def test_method_must_be_an_assertion_method_of_the_issuer(credential: Any) -> None:
    did_document = services.did_document()
    without_assertion = dict(did_document, assertionMethod=[])
    with pytest.raises(OB3VerificationError, match="not an assertion method"):
        signing.verify_document(_document(credential), did_documents=lambda did: without_assertion)
    foreign_controller = dict(
        did_document,
        verificationMethod=[dict(m, controller="did:web:example.org") for m in did_document["verificationMethod"]],
    )
    with pytest.raises(OB3VerificationError, match="does not belong"):
        signing.verify_document(_document(credential), did_documents=lambda did: foreign_controller)
    with pytest.raises(OB3VerificationError, match="not known to this platform"):
        signing.verify_document(_document(credential), did_documents=lambda did: None)


def test_revoked_credential_is_reported_revoked(credential: Any, officer: Any) -> None:
    services.credential_revoke(credential=credential, by=officer, reason="Exam fraud")
    result = services.credential_verify(credential.document)
    assert (result.valid, result.revoked, result.state) == (False, True, VerificationState.REVOKED)
    forged = _document(credential)
    _tamper_name(forged)
    result = services.credential_verify(forged)
    assert (result.valid, result.revoked, result.state) == (False, False, VerificationState.INVALID)


def test_verification_query_count(credential: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        assert services.credential_verify(credential.document).valid
