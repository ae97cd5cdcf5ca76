#!/bin/sh
# The image's command: gunicorn serving Apex on $PORT.
# Migrations are NOT run here: they are a release step (see README, "Deploy"),
# so several containers can start at once without racing on the schema.
# gunicorn's own records are JSON lines like the app's (deploy/gunicorn-logging.json);
# its access log stays off, as the app logs one JSON line per request itself.
# gevent workers: a slow client (headers or body trickling in) holds one
# greenlet, not the worker, so a few slow connections cannot stop the site
# (README, "Deploy"). GUNICORN_WORKER_CONNECTIONS caps requests in flight
# per worker.
set -eu
exec gunicorn apex.wsgi:application \
  --bind "${HOST:-0.0.0.0}:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --worker-class gevent \
  --worker-connections "${GUNICORN_WORKER_CONNECTIONS:-100}" \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --log-config-json deploy/gunicorn-logging.json
