from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saldo.audit"
    label = "audit"
    verbose_name = "Jejak audit"
