import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
application = get_wsgi_application()

# Import every view and build the URL tables now, while the worker starts (or once in the
# master with gunicorn --preload), instead of on the first request each worker answers: that
# request would otherwise spend about 1.7 s of CPU importing, which a fresh worker, after every
# deploy and every --max-requests recycle, makes someone wait for.
get_resolver()._populate()
