"""What a logged-in racer waits for: the pages behind the log-in, in-process and under wrk.

A racer with 30 vehicles x 50 baseline versions, 200 race days, 5,000
track-log entries and 100 linked sim profiles, among other accounts' racers,
vehicles and track logs (filler), on top of ``bench/generate_data.py``'s
directory (sim profiles, users, library setups). Everything is written by
``INSERT ... SELECT generate_series`` in the database, not row by row.

    # build (drops and recreates the scratch database, then keeps it)
    .venv/bin/python bench/logged_in.py --database-url \\
        postgres://postgres@127.0.0.1:5432/apex_perf_bench_loggedin build [--profiles 1000000]
    # measure: in-process p50/p95/queries, then gunicorn + wrk against /healthz
    .venv/bin/python bench/logged_in.py --database-url ... measure [--runs 60] [--no-wrk]

The in-process figures run each page through Django's test client (all
middleware, DEBUG off, session in the database as in production) with the
public-page cache off: a logged-in request never reaches it anyway. Caches
the pages keep for themselves (per racer, per account) stay on: they are
the subject. The wrk figures serve the app with gunicorn (2 x cores + 1
sync workers, DEBUG off, persistent connections) and send the racer's
session cookie; /healthz runs first in the same run as the ceiling.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

from _common import ROOT, SCRATCH_RULE, database_name, is_scratch, load_average, python_speed, recreate

RACER_USERNAME = "bench_racer"
RACER_PASSWORD = "bench-racer-password"
VEHICLES = 30
VERSIONS = 50
RACE_DAYS = 200
OPEN_DAYS = 5
TRACK_LOGS = 5_000
LINKED_PROFILES = 100
FILLER_ACCOUNTS = 2_000  # other users with a racer, 5 vehicles and 50 track-log entries each
TRACKS = 40
SECRET = "bench-only-secret-key-not-for-production-0123456789"


def _env(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", SECRET)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def setup(url: str) -> None:
    _env(url)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    from _common import setup_django

    setup_django(url)
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The process as a server's worker has it (what apex/wsgi.py does at start, where a checkout has it).
    import apex.wsgi  # noqa: F401


# --- build ------------------------------------------------------------------------


def _param_sql(n: str) -> tuple[str, str]:
    """Columns and SQL values of the 24 setup parameters, varying with the SQL expression ``n``."""
    from racing.setup_params import DECIMAL, INT, PARAMS

    columns, values = [], []
    for i, p in enumerate(PARAMS):
        columns.append(p.field)
        if p.kind == INT:
            assert p.min is not None and p.max is not None, p.field  # numeric parameters have a range
            span = int(p.max) - int(p.min)
            values.append(f"{int(p.min)} + (({n}) * {7 + i}) %% {min(span, 1000) + 1}")
        elif p.kind == DECIMAL:
            assert p.min is not None and p.max is not None, p.field
            low, high = int(p.min * 100), int(p.max * 100)
            values.append(f"({low} + (({n}) * {3 + i}) %% {high - low + 1}) / 100.0")
        else:
            values.append(f"left((ARRAY['soft','medium','hard','open'])[1 + ({n}) %% 4], {p.max_length})")
    return ", ".join(columns), ", ".join(values)


def build(url: str, profiles: int, users: int, library: int) -> None:
    name = database_name(url)
    if not is_scratch(name):
        sys.exit(SCRATCH_RULE)
    print(f"== building {name}; load average {load_average()}")
    started = time.perf_counter()
    recreate(url, name)
    setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.0f}s")
    sys.path.insert(0, str(ROOT / "bench"))
    from generate_data import generate

    generate(profiles=profiles, users=users, library=library, progress=False)
    print(f"directory filler in {time.perf_counter() - started:.0f}s")
    build_racer()
    print(f"built in {time.perf_counter() - started:.0f}s; load average {load_average()}")


def build_racer() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    cols, vals = _param_sql("n")
    _, day_vals = _param_sql("d")
    tracks = "(ARRAY[" + ", ".join(f"'Track {t:02d}'" for t in range(TRACKS)) + "])"
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            """INSERT INTO profiles_user (password, is_superuser, username, first_name, last_name, email,
                   is_staff, is_active, date_joined)
               VALUES (%s, false, %s, 'Bench', 'Racer', 'racer@bench.apex.invalid', false, true, now())
               RETURNING id""",
            [make_password(RACER_PASSWORD), RACER_USERNAME],
        )
        (user_id,) = c.fetchone()
        # The racer, and two more racers of the account (the switcher lists three).
        c.execute(
            """INSERT INTO profiles_racerprofile (owner_id, name, email, facebook, instagram, transponder,
                   is_default, created_at, updated_at)
               SELECT %s, r.name, '', '', '', '', r.d, now(), now()
               FROM (VALUES ('Bench Racer', true), ('Junior', false), ('Teammate', false)) AS r(name, d)""",
            [user_id],
        )
        c.execute("SELECT id FROM profiles_racerprofile WHERE owner_id = %s AND is_default", [user_id])
        (racer_id,) = c.fetchone()
        c.execute(
            """INSERT INTO racing_vehicle (racer_id, brand, model, nickname, transponder, created_at, updated_at)
               SELECT r.id, 'Brand ' || (v %% 6), 'Model ' || v, '', 'T' || v, now(), now()
               FROM profiles_racerprofile r, generate_series(1, %s) v
               WHERE r.owner_id = %s""",
            [VEHICLES, user_id],
        )
        c.execute(
            f"""INSERT INTO racing_baselineversion (vehicle_id, number, note, created_at, {cols})
                SELECT v.id, n, 'v' || n, now() - (({VERSIONS} - n) || ' days')::interval, {vals}
                FROM racing_vehicle v, generate_series(1, %s) n WHERE v.racer_id = %s""",
            [VERSIONS, racer_id],
        )
        # Race days over the vehicles; the last OPEN_DAYS are open (one per vehicle at most).
        c.execute(
            f"""WITH v AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM racing_vehicle
                           WHERE racer_id = %s)
                INSERT INTO racing_raceday (racer_id, vehicle_id, based_on_id, track, date, surface, grip,
                    temperature, weather, status, closed_at, created_at, updated_at, {cols})
                SELECT %s, v.id,
                    (SELECT b.id FROM racing_baselineversion b WHERE b.vehicle_id = v.id AND b.number = {VERSIONS}),
                    {tracks}[1 + d %% {TRACKS}], current_date - d, 'carpet', 'high', 21.5, 'dry',
                    CASE WHEN d < %s THEN 'open' ELSE 'closed' END,
                    CASE WHEN d < %s THEN NULL ELSE now() - (d || ' days')::interval END,
                    now() - (d || ' days')::interval, now(), {day_vals}
                FROM generate_series(0, %s - 1) d JOIN v ON v.k = d %% {VEHICLES}""",
            [racer_id, racer_id, OPEN_DAYS, OPEN_DAYS, RACE_DAYS],
        )
        c.execute(
            """INSERT INTO racing_racedaychange (race_day_id, parameter, old_value, new_value, reason, symptom,
                   status, created_at, updated_at)
               SELECT d.id, p.param, '100', '200', 'bench', '', 'tried', now(), now()
               FROM racing_raceday d, (VALUES ('df'), ('so_f'), ('toe_o')) p(param) WHERE d.racer_id = %s""",
            [racer_id],
        )
        c.execute(
            f"""WITH v AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM racing_vehicle
                           WHERE racer_id = %s)
                INSERT INTO racing_tracklog (racer_id, timestamp, track, vehicle_id, event, note, race_day_id,
                    import_key, created_at)
                SELECT %s, now() - (i || ' hours')::interval, {tracks}[1 + i %% {TRACKS}], v.id,
                    'Club round ' || (i %% 12), 'Note ' || i || E'\\nsecond line', NULL, '', now()
                FROM generate_series(1, %s) i JOIN v ON v.k = i %% {VEHICLES}""",
            [racer_id, racer_id, TRACK_LOGS],
        )
        c.execute(
            """UPDATE racing_tracklog t SET race_day_id = d.id FROM racing_raceday d
               WHERE t.racer_id = %s AND d.racer_id = t.racer_id AND d.status = 'closed'
                 AND t.id IN (SELECT id FROM racing_tracklog WHERE racer_id = %s ORDER BY id LIMIT 195)
                 AND d.id = (SELECT min(id) FROM racing_raceday WHERE racer_id = %s AND status = 'closed')
                            + (t.id %% 190)""",
            [racer_id, racer_id, racer_id],
        )
        c.execute(
            """UPDATE sims_simprofile SET linked_user_id = %s, linked_at = now()
               WHERE id IN (SELECT id FROM sims_simprofile WHERE linked_user_id IS NULL AND is_public
                            ORDER BY profile_identifier LIMIT %s)""",
            [user_id, LINKED_PROFILES],
        )
        # Filler: other accounts' racers, vehicles and track logs.
        c.execute(
            """INSERT INTO profiles_racerprofile (owner_id, name, email, facebook, instagram, transponder,
                   is_default, created_at, updated_at)
               SELECT id, 'Racer ' || id, '', '', '', '', true, now(), now()
               FROM profiles_user WHERE email LIKE '%%@bench.apex.invalid' AND id <> %s ORDER BY id LIMIT %s""",
            [user_id, FILLER_ACCOUNTS],
        )
        c.execute(
            """INSERT INTO racing_vehicle (racer_id, brand, model, nickname, transponder, created_at, updated_at)
               SELECT r.id, 'Brand ' || v, 'Model ' || v, '', '', now(), now()
               FROM profiles_racerprofile r, generate_series(1, 5) v WHERE r.owner_id <> %s""",
            [user_id],
        )
        c.execute(
            f"""INSERT INTO racing_baselineversion (vehicle_id, number, note, created_at, {cols})
                SELECT v.id, n, '', now(), {vals}
                FROM racing_vehicle v JOIN profiles_racerprofile r ON r.id = v.racer_id,
                     generate_series(1, 3) n WHERE r.owner_id <> %s""",
            [user_id],
        )
        c.execute(
            f"""INSERT INTO racing_tracklog (racer_id, timestamp, track, vehicle_id, event, note, race_day_id,
                   import_key, created_at)
                SELECT r.id, now() - (i || ' hours')::interval, {tracks}[1 + i %% {TRACKS}], NULL, '', 'filler',
                       NULL, '', now()
                FROM profiles_racerprofile r, generate_series(1, 50) i WHERE r.owner_id <> %s""",
            [user_id],
        )
        c.execute("ANALYZE")


# --- measure ------------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def pages() -> list[tuple[str, str]]:
    """(label, path) of every page measured, for the bench racer."""
    from profiles.models import RacerProfile
    from racing.models import RaceDay, TrackLog, Vehicle

    racer = RacerProfile.objects.get(owner__username=RACER_USERNAME, is_default=True)
    vehicle = Vehicle.objects.for_racer(racer).order_by("id")[0]
    day = RaceDay.objects.for_racer(racer).open().order_by("id")[0]
    track = TrackLog.objects.for_racer(racer).order_by("id").values_list("track", flat=True)[0]
    return [
        ("garage", "/garage/"),
        ("track log", "/track-log/"),
        ("track log, page 50", "/track-log/?page=50"),
        ("track log, one track", f"/track-log/?track={track.replace(' ', '+')}"),
        ("race day", day.get_absolute_url()),
        ("baseline form", f"/garage/vehicles/{vehicle.pk}/baseline/"),
        ("My Sim Profiles", "/users/profile/sim-profiles/"),
        ("claim search `ann`", "/users/profile/sim-profiles/search/?q=ann"),
        ("claim search `zzq`", "/users/profile/sim-profiles/search/?q=zzq"),
        ("directory search `ann`", "/profiles/search/?q=ann"),
        ("directory", "/profiles/"),
    ]


def racer_client() -> "Client":
    """A test client logged in as the bench racer, with the public-page cache off (logged-in pages never use it)."""
    from django.conf import settings
    from django.test import Client

    from profiles.models import User

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client = Client()
    client.force_login(User.objects.get(username=RACER_USERNAME))
    return client


def measure_in_process(runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = racer_client()
    print(
        f"\nIn-process ({runs} runs per page after 5 warm-ups; DEBUG off; load average {load_average()}):\n"
    )
    print("| page | p50 ms | p95 ms | queries | COUNT/DISTINCT | KB |")
    print("|---|---:|---:|---:|---|---:|")
    for label, path in [("/healthz", "/healthz"), *pages()]:
        for _ in range(5):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        sqls = [q["sql"].upper() for q in captured.captured_queries]
        heavy = [w for w in ("COUNT(", "DISTINCT") if any(w in s for s in sqls)]
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - start) * 1000)
        print(
            f"| {label} | {statistics.median(samples):.1f} | {percentile(samples, 95):.1f} | {len(sqls)} | "
            f"{' '.join(w.rstrip('(') for w in heavy) or 'no'} | {len(response.content) / 1024:.0f} |"
        )
    print(f"\nLoad average at the end: {load_average()}.")


# --- paired: two checkouts, request by request -------------------------------------


def worker(url: str, root: str) -> None:
    """Serve timing requests for the checkout at ``root``: lines in, milliseconds out.

    ``pages`` answers the page list as tab-separated lines and a blank one;
    ``time PATH`` answers one request's milliseconds (the page must answer 200).
    """
    import _common

    _common.ROOT = Path(root)  # this checkout's code, not this script's
    os.chdir(root)
    setup(url)
    client = racer_client()
    for line in sys.stdin:
        command, _, path = line.rstrip("\n").partition(" ")
        if command == "pages":
            print("".join(f"{label}\t{p}\n" for label, p in pages()), flush=True)
            continue
        start = time.perf_counter()
        status = client.get(path).status_code
        elapsed = (time.perf_counter() - start) * 1000
        print(f"{elapsed:.4f}" if status == 200 else f"status {status}", flush=True)


def measure_paired(url: str, before: str, runs: int, before_python: str) -> None:
    """Each page in two checkouts, one request each in turn, so a slower minute slows both alike."""
    print(f"\nPaired with {before} on {before_python}, after on {sys.executable}")
    print(f"({runs} pairs per page after 5 warm-ups each; load average {load_average()}):\n")
    with tempfile.TemporaryDirectory(prefix="apex-paired-") as scratch:
        tree = Path(scratch) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(tree), before], cwd=ROOT, check=True
        )
        workers = []
        try:
            for root, python in ((tree, os.path.abspath(before_python)), (ROOT, sys.executable)):
                command = [python, __file__, "--database-url", url, "worker", "--root", str(root)]
                workers.append(
                    subprocess.Popen(
                        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=root
                    )
                )

            def ask(process: subprocess.Popen[str], line: str) -> str:
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(line + "\n")
                process.stdin.flush()
                return process.stdout.readline().strip()

            def timed(process: subprocess.Popen[str], path: str) -> float:
                answer = ask(process, f"time {path}")
                if answer.startswith("status") or not answer:
                    sys.exit(f"{path}: {answer or 'the worker stopped'}")
                return float(answer)

            listing = []
            assert workers[1].stdin is not None and workers[1].stdout is not None
            workers[1].stdin.write("pages\n")
            workers[1].stdin.flush()
            while line := workers[1].stdout.readline().strip():
                listing.append(tuple(line.split("\t")))
            print(
                "| page | p50 before | p50 after | p95 before | p95 after | after/before (p50) | pairs after faster |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|")
            for label, path in listing:
                for process in workers:
                    for _ in range(5):
                        timed(process, path)
                old, new = [], []
                for i in range(runs):
                    order = workers if i % 2 == 0 else workers[::-1]
                    first, second = timed(order[0], path), timed(order[1], path)
                    a, b = (first, second) if i % 2 == 0 else (second, first)
                    old.append(a)
                    new.append(b)
                faster = sum(b < a for a, b in zip(old, new, strict=True))
                p50a, p50b = statistics.median(old), statistics.median(new)
                print(
                    f"| {label} | {p50a:.1f} | {p50b:.1f} | {percentile(old, 95):.1f} | {percentile(new, 95):.1f} "
                    f"| {p50b / p50a:.2f} | {faster}/{runs} |"
                )
        finally:
            for process in workers:
                process.kill()
                process.wait()
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    print(f"\nLoad average at the end: {load_average()}.")


def session_cookie() -> str:
    from django.conf import settings

    client = racer_client()
    client.get("/garage/")  # the default racer set in the session
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


LUA = """
wrk.headers["Cookie"] = "{cookie}"
local paths = {{ {paths} }}
local threads = {{}}
local i = 0
function setup(thread) table.insert(threads, thread) end
function init(args) redirects = 0; i = math.random(#paths) end
function request() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
function response(status, headers, body) if status >= 300 and status < 400 then redirects = redirects + 1 end end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("redirects") end
  io.write(string.format("3xx responses: %d\\n", n))
  io.write(string.format("Latency p50/p95/p99 ms: %.1f %.1f %.1f\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def _found(pattern: str, out: str) -> re.Match[str]:
    match = re.search(pattern, out)
    if match is None:
        sys.exit(f"wrk's output has no {pattern!r}:\n{out}")
    return match


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_wrk(url: str, duration: str, connections: int, threads: int, port: int) -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing (Debian/Ubuntu: apt-get install -y wrk).")
    # A port nobody listens on: a server already there would answer instead of this one.
    port = port or free_port()
    cookie = session_cookie()
    work = Path(tempfile.mkdtemp(prefix="apex-logged-in-"))
    (work / "load_settings.py").write_text(
        f'from apex.settings import *  # noqa: F403\n\nSTATIC_ROOT = "{work}/static"\n'
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{work}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "60",
        "PUBLIC_PAGE_CACHE_SECONDS": "0",
    }
    python = str(ROOT / ".venv/bin/python")
    subprocess.run(
        [python, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    workers = 2 * (os.cpu_count() or 1) + 1
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "apex.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--error-logfile", str(work / "gunicorn.log")],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if server.poll() is not None:
                sys.exit(f"gunicorn did not start:\n{(work / 'gunicorn.log').read_text()}")
            if subprocess.run(["curl", "-fs", f"{base}/healthz"], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        # The cookie must reach the racer's pages, not the log-in redirect.
        check = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                f"Cookie: {cookie}",
                f"{base}/garage/",
            ],
            capture_output=True,
            text=True,
        )
        if check.stdout != "200":
            sys.exit(f"/garage/ with the session cookie answered {check.stdout}, not 200.")
        runs = [("/healthz", ["/healthz"])] + [(label, [path]) for label, path in pages()]
        print(
            f"\nUnder wrk ({time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, load average {load_average()}; "
            f"{workers} gunicorn workers; wrk -t{threads} -c{connections} -d{duration}, session cookie):\n"
        )
        print(
            "| page | requests/s | vs /healthz | p50 ms | p95 ms | p99 ms | errors (incl. 3xx) | timeouts |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        ceiling = None
        for label, paths in runs:
            script = work / "run.lua"
            script.write_text(LUA.format(cookie=cookie, paths=", ".join(f'"{p}"' for p in paths)))
            command = ["wrk", f"-t{threads}", f"-c{connections}", "-s", str(script), base]
            subprocess.run([*command[:3], "-d3s", *command[3:]], capture_output=True, check=True)
            out = subprocess.run([*command[:3], f"-d{duration}", *command[3:]], capture_output=True,
                                 text=True, check=True).stdout  # fmt: skip
            rps = float(_found(r"Requests/sec:\s+([\d.]+)", out).group(1))
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            socket_errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
            redirects = int(_found(r"3xx responses: (\d+)", out).group(1))
            errors = (
                redirects
                + (int(non2xx.group(1)) if non2xx else 0)
                + (sum(int(x) for x in socket_errors.groups()[:3]) if socket_errors else 0)
            )
            timeouts = int(socket_errors.group(4)) if socket_errors else 0
            p50, p95, p99 = _found(r"Latency p50/p95/p99 ms: (\S+) (\S+) (\S+)", out).groups()
            ceiling = ceiling or rps
            print(
                f"| {label} | {rps:,.1f} | {100 * rps / ceiling:.0f}% | {p50} | {p95} | {p99} | {errors} | "
                f"{timeouts} |"
            )
        print(f"\nLoad average at the end: {load_average()}.")
        log = (work / "gunicorn.log").read_text()
        if log.strip():
            print("gunicorn log:\n" + log[-2000:])
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apex_bench_logged_in"),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="recreate the scratch database and fill it")
    b.add_argument("--profiles", type=int, default=1_000_000)
    b.add_argument("--users", type=int, default=200_000)
    b.add_argument("--library", type=int, default=20_000)
    r = sub.add_parser(
        "build-racer", help="add the racer and the filler to a database generate_data.py filled"
    )
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=60)
    m.add_argument("--no-wrk", action="store_true")
    m.add_argument("--wrk-only", action="store_true", help="skip the in-process measurement")
    m.add_argument("--duration", default="10s")
    m.add_argument("--connections", type=int, default=16)
    m.add_argument("--threads", type=int, default=2)
    m.add_argument("--port", type=int, default=0, help="default: a free port")
    pa = sub.add_parser(
        "paired", help="in-process, a request of another commit's and one of this checkout's in turn"
    )
    pa.add_argument("--before", required=True, help="the commit to compare with (a git revision)")
    pa.add_argument("--runs", type=int, default=100)
    pa.add_argument("--before-python", default=sys.executable, help="the interpreter of the before side")
    w = sub.add_parser("worker", help=argparse.SUPPRESS)
    w.add_argument("--root", required=True)
    del r
    args = parser.parse_args()
    if args.command == "worker":
        worker(args.database_url, args.root)
        return
    if not args.database_url.startswith("postgres"):
        sys.exit("--database-url must be a PostgreSQL database.")
    if args.command == "build":
        build(args.database_url, args.profiles, args.users, args.library)
        return
    setup(args.database_url)
    if args.command == "build-racer":
        if not is_scratch(database_name(args.database_url)):
            sys.exit(SCRATCH_RULE)
        build_racer()
        return
    print(f"# {database_name(args.database_url)}; {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
    print(f"# this machine: {python_speed()}")
    if args.command == "paired":
        measure_paired(args.database_url, args.before, args.runs, args.before_python)
        return
    if not args.wrk_only:
        measure_in_process(args.runs)
    if not args.no_wrk:
        measure_wrk(args.database_url, args.duration, args.connections, args.threads, args.port)


if __name__ == "__main__":
    main()
