from django.contrib import admin
from django.urls import include, path

from saldo.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("channels/kannel/", include("saldo.channels.kannel.urls")),
    path("channels/whatsapp/", include("saldo.channels.whatsapp.urls")),
    path("api/v1/", include("saldo.api.urls")),
    # The member portal owns the site root (its home page is "/").
    path("", include("saldo.portal.urls")),
]
