# The throttles' attempts moved to core.Attempt (shared with the API): the rows counted so far are
# copied (same kinds, same keyed hashes), so no count restarts, then the portal's table goes.

from django.db import migrations


def copy_attempts(apps, schema_editor):
    WebAttempt = apps.get_model("portal", "WebAttempt")
    Attempt = apps.get_model("core", "Attempt")
    rows = WebAttempt.objects.values_list("kind", "key", "at").iterator(chunk_size=5000)
    batch = []
    for kind, key, at in rows:
        batch.append(Attempt(kind=kind, key=key, at=at))
        if len(batch) == 5000:
            Attempt.objects.bulk_create(batch)
            batch = []
    Attempt.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    WebAttempt = apps.get_model("portal", "WebAttempt")
    Attempt = apps.get_model("core", "Attempt")
    WebAttempt.objects.bulk_create(
        WebAttempt(kind=kind, key=key, at=at)
        for kind, key, at in Attempt.objects.filter(kind__in=["login", "register", "reset"]).values_list(
            "kind", "key", "at"
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("core", "0001_attempt"),
    ]

    operations = [
        migrations.RunPython(copy_attempts, copy_back),
        migrations.DeleteModel(name="WebAttempt"),
    ]
