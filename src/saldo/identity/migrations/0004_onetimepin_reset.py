# A one-time PIN for a password reset (mailed by the portal, never texted). Choices only: no
# change to the table.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0003_contacts_on_record"),
    ]

    operations = [
        migrations.AlterField(
            model_name="onetimepin",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("activation", "aktivasi akun"),
                    ("balance", "cek saldo"),
                    ("login", "masuk aplikasi"),
                    ("binding", "daftarkan nomor"),
                    ("reset", "atur ulang kata sandi"),
                ],
                max_length=12,
            ),
        ),
    ]
