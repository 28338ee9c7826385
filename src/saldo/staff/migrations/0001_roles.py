"""The four staff roles as Django groups, with the model permissions they need in the admin.

Idempotent (get_or_create, permissions only added). Unapplying leaves the groups: who holds which
role is the fund's record, not this migration's to delete."""

from django.db import migrations

from saldo.staff.roles import permissions_create, roles_sync


def roles_create(apps, schema_editor) -> None:
    alias = schema_editor.connection.alias
    permissions_create(apps, using=alias)  # Django would make them only after the last migration
    roles_sync(apps, using=alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0002_events_append_only"),
        ("registry", "0002_contacts_on_record"),
    ]

    operations = [migrations.RunPython(roles_create, migrations.RunPython.noop)]
