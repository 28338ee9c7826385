from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "saldo.statements"
    label = "statements"
    verbose_name = "Laporan saldo"
