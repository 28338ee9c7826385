from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "saldo.claims"
    label = "claims"
    verbose_name = "Klaim JHT"
