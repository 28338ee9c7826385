import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saldo.settings")
application = get_wsgi_application()

# Imported once Django is set up (it imports models). Kannel's callbacks are answered in front of
# Django's handler (see that module); everything else is Django's.
from saldo.channels.kannel.wsgi import kannel_first  # noqa: E402

application = kannel_first(application)
