from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "saldo.identity"
    label = "identity"
    verbose_name = "Identitas dan keamanan peserta"
