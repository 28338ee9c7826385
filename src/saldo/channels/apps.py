from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "saldo.channels"
    label = "channels"
    verbose_name = "Kanal (SMS, WhatsApp)"
