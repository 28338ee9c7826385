"""One returns entry per account, value date and posting, instead of per account and value date:
a full claim credits the returns of the year it pays (valued on the payment day, 31 Dec for a
payment that day) and of any year not yet credited (valued 31 Dec of that year), and crediting
the year later settles a positive difference with its own entry on the same 31 Dec.

Both are partial unique indexes (WHERE kind = 'returns'): on SQLite as on PostgreSQL, a CREATE
and a DROP INDEX, no table rebuild. The new index is built before the old one goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_database_guards")]

    operations = [
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                condition=models.Q(kind="returns"),
                fields=("account", "value_date", "posting"),
                name="entry_returns_once_per_posting",
            ),
        ),
        migrations.RemoveConstraint(model_name="entry", name="entry_returns_once_a_year"),
    ]
