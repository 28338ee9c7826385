"""Static files served by the app itself under gunicorn: WhiteNoise, with the apps' own static
folders found directly (WHITENOISE_USE_FINDERS), so a missing collectstatic is no reason to warn."""

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root, prefix=None):
        # STATIC_ROOT (data/static) exists only once `make run` ran collectstatic.
        if Path(root).is_dir():
            super().add_files(root, prefix)
