from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "saldo.registry"
    label = "registry"
    verbose_name = "Registri peserta"
