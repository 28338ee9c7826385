from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "saldo.contributions"
    label = "contributions"
    verbose_name = "Iuran"
