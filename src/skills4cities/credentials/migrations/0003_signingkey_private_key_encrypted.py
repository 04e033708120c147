from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema only: the column holds a Fernet token from 0004_encrypt_signing_keys on."""

    dependencies = [
        ("credentials", "0002_credential_course"),
    ]

    operations = [
        migrations.RenameField(
            model_name="signingkey",
            old_name="private_key_pem",
            new_name="private_key_encrypted",
        ),
        migrations.AlterField(
            model_name="signingkey",
            name="private_key_encrypted",
            field=models.TextField(editable=False, verbose_name="private key (encrypted)"),
        ),
    ]
