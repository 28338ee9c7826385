from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "saldo.portal"
    label = "portal"
    verbose_name = "Portal peserta"
