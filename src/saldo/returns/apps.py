from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "saldo.returns"
    label = "returns"
    verbose_name = "Hasil pengembangan"
