"""The signing keys' private halves are encrypted at rest (keyencryption.py, migration 0004, reencrypt_signing_keys)."""

from __future__ import annotations

import base64
import importlib
import json
from io import StringIO
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from django.apps import apps as global_apps
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from skills4cities.credentials import keyencryption, services, signing
from skills4cities.credentials.models import Credential, SigningKey, StatusList
from tests import factories

migration = importlib.import_module("skills4cities.credentials.migrations.0004_encrypt_signing_keys")
SETTING = "CREDENTIALS_KEY_ENCRYPTION_KEYS"


def _stored(key: SigningKey) -> str:
    """The row as the database holds it, every column as text (no model in between)."""
    table = connection.ops.quote_name(SigningKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [key.pk])  # noqa: S608 - the model's own table
        row = cursor.fetchone()
    return " ".join(str(value) for value in row)


def _column(key: SigningKey) -> str:
    return str(SigningKey.objects.filter(pk=key.pk).values_list("private_key_encrypted", flat=True).get())


def _raw_forms(pem: str) -> list[str]:
    """The PEM, its base64 body and the 32 raw private bytes in the usual spellings."""
    private = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return [
        pem,
        pem.strip(),
        body,
        body[8:40],  # a stretch of the DER base64 holding key bytes
        raw.hex(),
        raw.hex().upper(),
        base64.b64encode(raw).decode("ascii").rstrip("="),
        base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="),
        raw.decode("latin-1"),
    ]


def _make_key(number: int, *, kek: str | None = None) -> tuple[SigningKey, str]:
    """A row as it was before encryption at rest (the PEM in the column), or encrypted with a foreign ``kek``;
    retired unless it is key 1."""
    pem, multibase = signing.generate_key()
    stored = pem if kek is None else Fernet(kek.encode()).encrypt(pem.encode()).decode()
    key = SigningKey.objects.create(
        number=number,
        public_key_multibase=multibase,
        private_key_encrypted=stored,
        active=number == 1,
        retired_at=None if number == 1 else timezone.now(),
    )
    return key, pem


def _run(function: Any) -> None:
    function(global_apps, SimpleNamespace(connection=connection))


def test_the_database_row_holds_neither_the_pem_nor_the_key_bytes(db: Any) -> None:
    key = services.signing_key_current()
    pem = services.signing_key_private_pem(key)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    stored = _stored(key)
    for form in _raw_forms(pem):
        assert form not in stored
    assert "BEGIN" not in stored
    assert not keyencryption.is_plaintext(_column(key))
    assert _column(key).startswith("gAAAAA")


def test_rotated_keys_are_stored_encrypted(db: Any) -> None:
    services.signing_key_current()
    new = services.signing_key_rotate(actor=None)
    for key in SigningKey.objects.all():
        pem = services.signing_key_private_pem(key)
        assert all(form not in _stored(key) for form in _raw_forms(pem))
    assert new.active


def test_sign_and_verify_round_trip(issue: Any, alice: Any) -> None:
    credential = issue(alice)
    assert services.credential_verify(credential.document).valid
    key = SigningKey.objects.get(active=True)
    public_pem = (
        serialization.load_pem_private_key(services.signing_key_private_pem(key).encode("ascii"), password=None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    claims = jwt.decode(credential.jwt, public_pem, algorithms=["EdDSA"], options={"verify_aud": False})
    assert claims["jti"] == json.loads(credential.document)["id"]
    status_list = StatusList.objects.get()
    document = json.loads(services.status_list_document(status_list=status_list))
    assert document["proof"]["verificationMethod"].endswith("#key-1")


def test_migration_encrypts_a_plaintext_key_and_old_credentials_keep_verifying(
    issue: Any, alice: Any, bob: Any
) -> None:
    old = issue(alice)
    key = SigningKey.objects.get()
    pem = services.signing_key_private_pem(key)
    SigningKey.objects.filter(pk=key.pk).update(private_key_encrypted=pem)  # the row as it was before 0004

    _run(migration.encrypt_keys)

    token = _column(key)
    assert not keyencryption.is_plaintext(token)
    assert all(form not in _stored(key) for form in _raw_forms(pem))
    key.refresh_from_db()
    assert services.signing_key_private_pem(key) == pem
    assert services.credential_verify(old.document).valid
    new = issue(bob)
    assert json.loads(new.document)["proof"]["verificationMethod"].endswith("#key-1")
    assert services.credential_verify(new.document).valid

    _run(migration.encrypt_keys)  # again: nothing to do, the token stays as it is
    assert _column(key) == token


def test_migration_backward_decrypts(db: Any) -> None:
    first, first_pem = _make_key(1)
    _run(migration.encrypt_keys)
    assert not keyencryption.is_plaintext(_column(first))

    _run(migration.decrypt_keys)

    assert _column(first) == first_pem
    _run(migration.decrypt_keys)  # a plaintext row is left alone
    assert _column(first) == first_pem


def test_migration_with_a_wrong_kek_stops_and_changes_nothing(db: Any) -> None:
    first, first_pem = _make_key(1)
    second, _ = _make_key(2, kek=Fernet.generate_key().decode())
    token = _column(second)
    with pytest.raises(keyencryption.KeyEncryptionError, match=SETTING):
        _run(migration.encrypt_keys)
    assert _column(first) == first_pem  # key 1 was encrypted, then rolled back with the failure on key 2
    assert _column(second) == token

    encrypted = keyencryption.encrypt(first_pem)
    SigningKey.objects.filter(pk=first.pk).update(private_key_encrypted=encrypted)
    with pytest.raises(keyencryption.KeyEncryptionError, match=SETTING):
        _run(migration.decrypt_keys)
    assert _column(first) == encrypted  # decrypted, then rolled back
    assert _column(second) == token


def test_kek_rotation(issue: Any, alice: Any, bob: Any) -> None:
    old_kek, new_kek = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(**{SETTING: [old_kek]}):
        first = issue(alice)
        key = SigningKey.objects.get()
        pem = services.signing_key_private_pem(key)
    with override_settings(**{SETTING: [new_kek]}), pytest.raises(keyencryption.KeyEncryptionError):
        services.signing_key_private_pem(key)
    with override_settings(**{SETTING: [new_kek, old_kek]}):
        assert services.signing_key_private_pem(key) == pem  # the old KEK, second, still decrypts
        assert services.credential_verify(issue(bob).document).valid
        out = StringIO()
        call_command("reencrypt_signing_keys", stdout=out)
        assert out.getvalue().startswith("1 signing key(s) re-encrypted")
        out = StringIO()
        call_command("reencrypt_signing_keys", stdout=out)  # idempotent
        assert out.getvalue().startswith("0 signing key(s) re-encrypted with the first key-encryption key, 1 already")
    key.refresh_from_db()
    with override_settings(**{SETTING: [new_kek]}):  # only the new KEK is needed now
        assert services.signing_key_private_pem(key) == pem
        assert services.credential_verify(first.document).valid
        third = issue(factories.UserFactory(username="carol"))
        assert services.credential_verify(third.document).valid
    with override_settings(**{SETTING: [old_kek]}), pytest.raises(keyencryption.KeyEncryptionError):
        services.signing_key_private_pem(key)


def test_moving_from_the_secret_key_default_to_a_configured_kek(db: Any) -> None:
    key = services.signing_key_current()  # encrypted with the KEK derived from SECRET_KEY
    pem = services.signing_key_private_pem(key)
    kek = Fernet.generate_key().decode()
    with override_settings(**{SETTING: [kek]}):
        with pytest.raises(CommandError, match=SETTING):
            call_command("reencrypt_signing_keys", stdout=StringIO())
        call_command("reencrypt_signing_keys", "--from-secret-key", stdout=StringIO())
        key.refresh_from_db()
        assert services.signing_key_private_pem(key) == pem
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40, **{SETTING: [kek]}):
        assert services.signing_key_private_pem(key) == pem  # SECRET_KEY no longer matters
    with pytest.raises(keyencryption.KeyEncryptionError, match=f"because {SETTING} is not set"):
        services.signing_key_private_pem(key)  # and the derived key no longer decrypts it


def test_wrong_kek_is_a_clear_error_and_issues_nothing(issue: Any, alice: Any) -> None:
    with override_settings(**{SETTING: [Fernet.generate_key().decode()]}):
        key = services.signing_key_current()
    token = _column(key)
    with override_settings(**{SETTING: [Fernet.generate_key().decode()]}):
        with pytest.raises(keyencryption.KeyEncryptionError) as caught:
            issue(alice)
        assert str(caught.value).startswith("The private key of signing key key-1 cannot be decrypted with any key")
        assert SETTING in str(caught.value)
        with pytest.raises(CommandError, match=SETTING):
            call_command("reencrypt_signing_keys", stdout=StringIO())
    assert not Credential.objects.exists()
    assert StatusList.objects.filter(allocated__gt=0).count() == 0
    assert _column(key) == token
    with pytest.raises(keyencryption.KeyEncryptionError, match=f"derived from SECRET_KEY, because {SETTING} is not"):
        services.signing_key_private_pem(key)  # the setting missing: the same clear error


def test_the_commands_report_a_wrong_kek_without_a_traceback(issue: Any, alice: Any) -> None:
    """issue_credential and revoke_credential sign (the credential, the status list): a wrong KEK is a command
    error naming the setting, and nothing changes."""
    kek = Fernet.generate_key().decode()
    with override_settings(**{SETTING: [kek]}):
        credential = issue(alice)
    wrong = override_settings(**{SETTING: [Fernet.generate_key().decode()]})
    with wrong, pytest.raises(CommandError, match=SETTING):
        call_command("revoke_credential", str(credential.public_id), reason="test", stdout=StringIO())
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_no_fallback_to_a_plaintext_row(db: Any) -> None:
    key, _pem = _make_key(1)
    with pytest.raises(keyencryption.KeyEncryptionError, match="stored unencrypted"):
        services.signing_key_private_pem(key)


def test_a_token_moved_from_another_key_is_refused(db: Any) -> None:
    services.signing_key_current()
    second = services.signing_key_rotate(actor=None)
    SigningKey.objects.filter(number=2).update(
        private_key_encrypted=SigningKey.objects.get(number=1).private_key_encrypted
    )
    second.refresh_from_db()
    with pytest.raises(keyencryption.KeyEncryptionError, match="does not match its public key"):
        services.signing_key_private_pem(second)


def test_malformed_kek_is_named(db: Any) -> None:
    with override_settings(**{SETTING: [Fernet.generate_key().decode(), "not-a-key"]}):
        with pytest.raises(keyencryption.KeyEncryptionError, match=f"{SETTING}: entry 2 is not a Fernet key"):
            services.signing_key_current()
        assert not SigningKey.objects.exists()
        errors = [message.id for message in run_checks()]
        assert "credentials.E001" in errors


def test_deploy_check_warns_when_the_kek_comes_from_secret_key(db: Any) -> None:
    def ids(**overrides: Any) -> list[str | None]:
        with override_settings(**overrides):
            return [message.id for message in run_checks(include_deployment_checks=True)]

    assert "credentials.W001" in ids(DEBUG=False, **{SETTING: []})
    assert "credentials.W001" not in ids(DEBUG=False, **{SETTING: [Fernet.generate_key().decode()]})
    assert "credentials.W001" not in ids(DEBUG=True, **{SETTING: []})
    with override_settings(DEBUG=False, **{SETTING: []}):
        assert "credentials.W001" not in [message.id for message in run_checks()]  # a deploy check only
        err = StringIO()
        call_command("check", "--deploy", stdout=StringIO(), stderr=err)
        assert "credentials.W001" in err.getvalue() and SETTING in err.getvalue()
