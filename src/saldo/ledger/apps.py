from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "saldo.ledger"
    label = "ledger"
    verbose_name = "Buku besar"
