"""The rates the fund declared (domain.md §3) ship as data."""

from decimal import Decimal

from django.db import migrations

DECLARED = [
    (2016, "7.19", "BPJS Ketenagakerjaan (bisnis.com)"),
    (2017, "7.82", "BPJS Ketenagakerjaan (bisnis.com)"),
    (2018, "6.26", "BPJS Ketenagakerjaan (bisnis.com)"),
    (2019, "6.06", "BPJS Ketenagakerjaan (bisnis.com)"),
    (2020, "5.59", "BPJS Ketenagakerjaan (bisnis.com); 5.63% also cited"),
]


def forwards(apps, schema_editor):
    DeclaredRate = apps.get_model("returns", "DeclaredRate")
    for year, rate, note in DECLARED:
        DeclaredRate.objects.get_or_create(year=year, defaults={"rate_percent": Decimal(rate), "note": note})


def backwards(apps, schema_editor):
    DeclaredRate = apps.get_model("returns", "DeclaredRate")
    DeclaredRate.objects.filter(year__in=[y for y, _, _ in DECLARED]).delete()


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
