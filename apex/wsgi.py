import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apex.settings")

application = get_wsgi_application()

# Every view module, now rather than on the first request.
import apex.urls  # noqa: E402, F401

# What is loaded by now lives as long as the process. Frozen, the garbage
# collector's full collections no longer walk it: one took 80-120 ms in the
# middle of a request, and the collector cost a request 1.3-1.7 ms on
# average, against 0.3 ms frozen (bench/README.md, logged_in.py).
gc.freeze()
