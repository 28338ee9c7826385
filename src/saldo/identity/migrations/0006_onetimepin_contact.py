# A one-time PIN for changing the phone or email on record from the account settings (first to
# the old phone, then to the new phone or email). Choices only: no change to the table.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0005_login_failures_per_client"),
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
                    ("contact", "ganti kontak"),
                ],
                max_length=12,
            ),
        ),
    ]
