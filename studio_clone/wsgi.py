"""WSGI entry point (the ASGI one in asgi.py is what runs in development and production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio_clone.settings")
application = get_wsgi_application()
