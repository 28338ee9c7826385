from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "saldo.banking"
    label = "banking"
    verbose_name = "Pemeriksaan rekening bank"
