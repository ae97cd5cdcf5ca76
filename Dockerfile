# Apex: one stateless web image. Run migrations as a release step with the
# same image (`docker run --rm --env-file apex.env IMAGE python manage.py migrate --noinput`),
# then start as many containers as needed; see README.md, "Deploy".

# Build stage: the dependencies in a virtualenv, copied whole into the runtime.
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.11-slim
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    DEBUG=0
RUN groupadd --system --gid 10001 apex \
 && useradd --system --uid 10001 --gid apex --no-create-home --home-dir /app apex
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# The code and collected static files stay owned by root: the app cannot change them.
COPY . .
# Static files are hashed and compressed at build time for whitenoise. The
# settings refuse to load without a SECRET_KEY when DEBUG is off, so the build
# gets a throwaway one that never reaches the running image.
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-not-secret python manage.py collectstatic --noinput
USER apex
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["sh", "deploy/start.sh"]
