from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "saldo.api"
    label = "api"
    verbose_name = "API aplikasi seluler"
