# The portal's WebAttempt as core's Attempt, shared by the portal and the API throttles.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Attempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('key', models.CharField(max_length=64)),
                ('at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'percobaan',
                'verbose_name_plural': 'percobaan',
                'indexes': [models.Index(fields=['kind', 'key', 'at'], name='attempt_kind_key_at')],
            },
        ),
    ]
