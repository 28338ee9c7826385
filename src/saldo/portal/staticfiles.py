"""Static files served by the app itself under gunicorn: WhiteNoise, with the apps' own static
folders found directly (WHITENOISE_USE_FINDERS), so a missing collectstatic is no reason to warn.

Browsers ask for /favicon.ico on every page that names no icon (the admin's): it goes to the
portal's icon here, in front of the session middleware, so it is neither a 404 in each clerk's
console nor a request that writes the clerk's session beside the page's own."""

from pathlib import Path

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __call__(self, request):
        if request.path_info == "/favicon.ico":
            return HttpResponseRedirect(static("portal/favicon.svg"))
        return super().__call__(request)

    def add_files(self, root, prefix=None):
        # STATIC_ROOT (data/static) exists only once `make run` ran collectstatic.
        if Path(root).is_dir():
            super().add_files(root, prefix)
