"""Encrypt the signing keys' private halves in place with CREDENTIALS_KEY_ENCRYPTION_KEYS (reverse: decrypt).

Rows already encrypted are left as they are (after checking that a key-encryption key decrypts them), so the
migration can be re-run; a row no key decrypts stops it with an error naming the setting, and nothing changes:
all keys or none (one transaction, also when the functions are called outside a migration).
"""

from typing import Any

from django.db import migrations, transaction

from skills4cities.credentials import keyencryption


def encrypt_keys(apps: Any, schema_editor: Any) -> None:
    SigningKey = apps.get_model("credentials", "SigningKey")
    alias = schema_editor.connection.alias
    with transaction.atomic(using=alias):
        for key in SigningKey.objects.using(alias).select_for_update().order_by("number"):
            stored = key.private_key_encrypted
            if keyencryption.is_plaintext(stored):
                key.private_key_encrypted = keyencryption.encrypt(stored)
                key.save(update_fields=["private_key_encrypted"])
            else:
                keyencryption.decrypt(stored, what=f"signing key key-{key.number}")


def decrypt_keys(apps: Any, schema_editor: Any) -> None:
    SigningKey = apps.get_model("credentials", "SigningKey")
    alias = schema_editor.connection.alias
    with transaction.atomic(using=alias):
        for key in SigningKey.objects.using(alias).select_for_update().order_by("number"):
            stored = key.private_key_encrypted
            if not keyencryption.is_plaintext(stored):
                key.private_key_encrypted = keyencryption.decrypt(stored, what=f"signing key key-{key.number}")
                key.save(update_fields=["private_key_encrypted"])


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("credentials", "0003_signingkey_private_key_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_keys, decrypt_keys),
    ]
