from django.apps import AppConfig


class WhatsappConfig(AppConfig):
    name = "saldo.channels.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp"
