"""A hung database and slow clients do not take the site down (the image's gunicorn on 127.0.0.1).

- A "database" that accepts connections and never answers: /healthz says 503
  within its own deadline, and a page answers a clean 503 with the request id.
- Four slow-body POSTs and eight slow-header connections held open: /healthz
  keeps answering within a second.
"""

import socket
import threading
import time
from contextlib import ExitStack

import pytest

from apex.tests.servers import Browser, app_server, collect_static, production_env

pytestmark = pytest.mark.xdist_group("app-servers")

HEALTHZ_DEADLINE_S = 1
CONNECT_TIMEOUT_S = 2


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return collect_static(tmp_path_factory.mktemp("static"))


@pytest.fixture
def silent_database():
    """A TCP server on 127.0.0.1 that accepts every connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield listener.getsockname()[1], held
    stop.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    listener.close()


def test_a_hung_database_gives_503s_with_deadlines(static_root, silent_database, tmp_path):
    port, held = silent_database
    env = production_env(
        static_root,
        DATABASE_URL=f"postgres://apex@127.0.0.1:{port}/apex",
        DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT_S),
        HEALTHZ_DATABASE_TIMEOUT=str(HEALTHZ_DEADLINE_S),
    )
    with app_server(env, tmp_path) as server:
        browser = Browser()
        assert browser.get(f"{server.url}/").status == 200  # warm: the start page needs no database
        for _ in range(3):  # again and again: a hung check is not piled up behind
            health = browser.get(f"{server.url}/healthz")
            assert health.status == 503
            assert health.seconds < HEALTHZ_DEADLINE_S + 1.5
        page = browser.get(f"{server.url}/profiles/", headers={"X-Request-ID": "hung-db-1"})
        assert page.status == 503 and page.headers["retry-after"]
        assert "hung-db-1" in page.body and "cannot reach its database" in page.body
        assert page.seconds < CONNECT_TIMEOUT_S + 3
        assert held, "the app never tried the silent database"


def _slow_body_post(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        # A CSRF cookie, so the app waits for the body's token instead of refusing at once.
        b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nlogin="
    )
    return sock


def _slow_headers(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return sock


def test_slow_clients_do_not_stop_healthz(static_root, tmp_path):
    env = production_env(static_root, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with app_server(env, tmp_path) as server, ExitStack() as stack:
        browser = Browser(timeout=5)
        assert browser.get(f"{server.url}/healthz").status == 200
        openers = [_slow_body_post] * 4 + [_slow_headers] * 8
        slow = [open_slow(server.port) for open_slow in openers]

        def close_all():
            for sock in slow:
                sock.close()

        stack.callback(close_all)
        answered = 0
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            for number, open_slow in enumerate(openers):  # a trickle: one byte each, never a whole request
                try:
                    slow[number].sendall(b"a" if open_slow is _slow_body_post else b"X")
                except OSError:  # the server gave up on it: the attacker opens another
                    slow[number].close()
                    slow[number] = open_slow(server.port)
            health = browser.get(f"{server.url}/healthz")
            assert health.status == 200 and health.seconds < 1, health
            answered += 1
            time.sleep(0.3)
        assert answered >= 10
