# ruff: noqa: S603, S607, S310 - starts the project's own start script; http://127.0.0.1 URLs only
"""The image's start script (deploy/start.sh) on 127.0.0.1, for tests that need real app servers.

``app_server(env)`` serves the app from this checkout with production
settings (DEBUG off) on a free port, waits until it answers, and stops it
when the block ends. ``Browser`` is a tiny cookie-keeping HTTP client that
speaks to any of them (cookies ignore ports, so one browser's session
cookie reaches every server on 127.0.0.1, as behind one load balancer).
"""

import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN_S = 60  # gunicorn's start-up on a loaded 2-core machine
SECRET = secrets.token_urlsafe(50)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(static_root: Path, **extra: str) -> dict[str, str]:
    """What a container gets, with plain http allowed (no TLS proxy in front here)."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(static_root.parent),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "STATIC_ROOT": str(static_root),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "1",
    }
    return env | extra


def collect_static(target: Path) -> Path:
    """The image's collectstatic, into ``target`` (DEBUG off needs the hashed manifest)."""
    env = production_env(target)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env | {"DATABASE_URL": "sqlite:///:memory:"},
        check=True,
        capture_output=True,
    )
    return target


@dataclass
class Server:
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def app_server(env: dict[str, str], log_dir: Path) -> Iterator[Server]:
    port = free_port()
    log_path = log_dir / f"gunicorn-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["sh", "deploy/start.sh"],
            cwd=ROOT,
            env=env | {"HOST": "127.0.0.1", "PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + READY_WITHIN_S
            while not _answers(port):
                if process.poll() is not None:
                    pytest.fail(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not listen within {READY_WITHIN_S}s:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield Server(port=port, log=log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, CSRF tokens and no redirect following, over plain http."""

    def __init__(self, timeout: float = 20):
        self.cookies = http.cookiejar.CookieJar()
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def _send(self, request: urllib.request.Request) -> Answer:
        started = time.monotonic()
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read().decode("utf-8", "replace")
        return Answer(
            status=response.status,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            seconds=time.monotonic() - started,
        )

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        return self._send(urllib.request.Request(url, headers=headers or {}))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def post(self, url: str, data: dict[str, str]) -> Answer:
        if self.cookie("csrftoken") is None:
            self.get(url)  # the form page sets the CSRF cookie
        token = self.cookie("csrftoken") or ""
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        return self._send(urllib.request.Request(url, data=body, method="POST"))


def database_url_of(settings_dict: dict) -> str:
    """The URL of the database pytest-django made for this run (PostgreSQL)."""
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def require_redis(db: int) -> str:
    """A Redis URL on an emptied database; under CI an unreachable Redis fails the test, never skips it."""
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}"
    try:
        redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        message = f"Redis at {REDIS_HOST}:{REDIS_PORT} is not reachable: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: Redis-backed tests cannot be skipped)")
        pytest.skip(message)
    return url
