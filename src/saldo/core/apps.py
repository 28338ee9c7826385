from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saldo.core"
    label = "core"
