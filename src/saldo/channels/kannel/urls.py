from django.urls import path

from saldo.channels.kannel import views

urlpatterns = [
    path("inbound", views.inbound, name="kannel-inbound"),
    path("dlr", views.dlr, name="kannel-dlr"),
]
