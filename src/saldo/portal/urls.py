from django.urls import path  # noqa: F401

# Filled in by the issue that builds this area.
urlpatterns: list = []
