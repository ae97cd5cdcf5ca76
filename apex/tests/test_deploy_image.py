# ruff: noqa: S603, S607 - runs the project's own Dockerfile commands, nothing from outside
"""The deployable image, built and started without a container engine.

The Dockerfile's steps are replayed on this machine: a fresh virtualenv from
requirements.txt (nothing borrowed from the development venv, so a missing
pin fails here), the app copied as ``.dockerignore`` allows, the Dockerfile's
own collectstatic RUN line, the release command (migrate), then the
Dockerfile's CMD and HEALTHCHECK, both read from the Dockerfile so the test
and the image cannot drift apart. The virtualenv is built once per test run.
"""

import fnmatch
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

# One worker builds the image once when the suite runs in parallel (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("image")

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
RELEASE_COMMAND = ["python", "manage.py", "migrate", "--noinput"]  # README "Deploy": the release step
READY_WITHIN_S = 60  # how long gunicorn may take to answer at all on a loaded machine


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.strip().startswith("#") and not current:
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            logical.append(current.strip())
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def runtime_stage() -> list[tuple[str, str]]:
    """The instructions of the last stage: what the running image is made of."""
    instructions = dockerfile_instructions()
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[last_from:]


def exec_form(arguments: str) -> list[str]:
    arguments = arguments.strip()
    return json.loads(arguments) if arguments.startswith("[") else ["sh", "-c", arguments]


def image_command() -> list[str]:
    return exec_form(next(args for name, args in runtime_stage() if name == "CMD"))


def healthcheck_command() -> list[str]:
    args = next(args for name, args in runtime_stage() if name == "HEALTHCHECK")
    return exec_form(args.split("CMD", 1)[1])


def collectstatic_step() -> str:
    return next(args for name, args in runtime_stage() if name == "RUN" and "collectstatic" in args)


def dockerignore_filter(source: Path):
    patterns = [
        line.strip()
        for line in (source / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            relative = str((Path(directory) / name).relative_to(source))
            for pattern in patterns:
                if pattern.startswith("**/"):
                    if fnmatch.fnmatch(name, pattern[3:]):
                        skipped.add(name)
                elif fnmatch.fnmatch(relative, pattern):
                    skipped.add(name)
        return skipped

    return ignore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    """An HTTP answer read whole (its connection closed)."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def getheader(self, name: str) -> str:
        return self.headers.get(name, "")


def get(port: int, path: str, headers: dict | None = None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    answer = Answer(status=response.status, headers=response.headers, body=response.read())
    connection.close()
    return answer


@pytest.fixture(scope="session")
def image(tmp_path_factory):
    """A built "image": venv, app copy with static files collected, migrated SQLite."""
    base = tmp_path_factory.mktemp("image")
    venv, app = base / "venv", base / "app"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip_env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    subprocess.run(
        # --no-compile: the image's byte-code only speeds its start-up; compiling every
        # package here would cost the suite seconds and prove nothing.
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
        + ["-r", str(ROOT / "requirements.txt")],
        check=True,
        env=pip_env,
    )
    shutil.copytree(ROOT, app, ignore=dockerignore_filter(ROOT))

    # Only what the image's ENV lines and the platform would give the process.
    env = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(base),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(["sh", "-c", collectstatic_step()], cwd=app, env=env, check=True, capture_output=True)

    env |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{base / 'apex.sqlite3'}",
    }
    subprocess.run(RELEASE_COMMAND, cwd=app, env=env, check=True, capture_output=True)
    return {"app": app, "env": env}


@pytest.fixture(scope="session")
def served(image):
    """The image's CMD running on a free port; yields the port."""
    port = free_port()
    env = image["env"] | {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2"}
    log = (image["app"].parent / "gunicorn.log").open("w")
    server = subprocess.Popen(
        image_command(), cwd=image["app"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + READY_WITHIN_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"the image's CMD exited with {server.returncode}:\n{Path(log.name).read_text()}")
            try:
                get(port, "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"gunicorn did not answer within {READY_WITHIN_S}s:\n{Path(log.name).read_text()}"
                    )
                time.sleep(0.2)
        yield {"port": port, "env": env, "app": image["app"], "log": Path(log.name)}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy in front of the app sets it


def test_healthz_answers_ok_over_plain_http(served):
    response = get(served["port"], "/healthz")
    assert response.status == 200
    assert json.loads(response.body) == {"status": "ok", "database": "ok"}


def test_the_image_logs_one_json_object_per_line(served):
    get(served["port"], "/healthz", {"X-Request-ID": "image-log-check"})
    deadline = time.monotonic() + 10
    while b"image-log-check" not in served["log"].read_bytes() and time.monotonic() < deadline:
        time.sleep(0.1)  # the worker writes its line after answering
    records = [json.loads(line) for line in served["log"].read_text().splitlines()]
    assert any(r["logger"] == "gunicorn.error" for r in records)  # gunicorn's own start-up lines
    [line] = [r for r in records if r.get("request_id") == "image-log-check"]
    assert (line["logger"], line["path"], line["status"]) == ("apex.request", "/healthz", 200)


def test_dockerfile_healthcheck_command_passes_against_the_running_app(served):
    result = subprocess.run(
        healthcheck_command(),
        cwd=served["app"],
        env=served["env"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_production_settings_redirect_plain_http_to_https(served):
    response = get(served["port"], "/accounts/login/")
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")


def test_pages_render_behind_the_https_proxy(served):
    home = get(served["port"], "/", HTTPS)
    assert home.status == 200
    assert b"Sign up free" in home.body
    login = get(served["port"], "/accounts/login/", HTTPS)
    assert login.status == 200
    assert b'name="password"' in login.body
    assert login.getheader("Strict-Transport-Security")


def test_hashed_static_files_are_served_compressed_by_whitenoise(served):
    page = get(served["port"], "/accounts/login/", HTTPS).body.decode()
    stylesheet = re.search(r'href="(/static/css/apex\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page does not link the collected, hashed apex.css"
    response = get(served["port"], stylesheet.group(1), HTTPS | {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")


def test_runtime_stage_runs_as_non_root_and_never_migrates_at_start():
    stage = runtime_stage()
    assert stage[0] == ("FROM", "python:3.11-slim")
    users = [args for name, args in stage if name == "USER"]
    assert users and users[-1] not in {"root", "0"}
    start = " ".join(image_command())
    script = (ROOT / start.split()[-1]).read_text() if start.endswith(".sh") else start
    assert "migrate" not in re.sub(r"#.*", "", script)
    assert "gunicorn apex.wsgi" in script
    assert shlex.split(collectstatic_step())[:2] == [
        "DEBUG=0",
        "SECRET_KEY=build-only-collectstatic-not-secret",
    ]


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignore = dockerignore_filter(ROOT)
    names = [
        ".git",
        ".venv",
        "db.sqlite3",
        "staticfiles",
        "backups",
        ".env",
        "manage.py",
        "apex",
        "templates",
    ]
    skipped = ignore(str(ROOT), names)
    assert skipped == {".git", ".venv", "db.sqlite3", "staticfiles", "backups", ".env"}
