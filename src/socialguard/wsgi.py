import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialguard.settings")
application = get_wsgi_application()

# Import every view now, as the server starts, not during some user's first request to each
# worker process (measured at several seconds for a 2-worker server's first page).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
