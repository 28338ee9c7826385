from django.urls import path

from saldo.channels.whatsapp import views

urlpatterns = [
    path("webhook", views.webhook, name="whatsapp-webhook"),
]
