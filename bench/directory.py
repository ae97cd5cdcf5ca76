"""Latency of the driver directory, the driver search and the setup library at scale.

Runs the real views through Django's test client (the whole middleware stack,
DEBUG off, templates rendered) against a database filled by

    bench/generate_data.py --profiles 1000000 --users 200000 --library 200000

and prints p50/p95 per request, the queries each request ran and whether any
of them was a COUNT. These are **rendered** pages: the public-page cache
(``apex/caching.py``) is off (``PUBLIC_PAGE_CACHE_SECONDS = 0``), so every
request runs its queries and renders its template, as for a logged-in user
or a search nobody made in the last seconds. Then, as a separate
measurement, the same requests with the cache on (the default 30 seconds)
after one request has filled it: **cache hits**, what a visitor without
cookies gets for a popular page. In the same run it times the baseline: the
search as the original plan wrote it (``icontains`` on the profile name OR
the linked user's username / first name / last name) through Django's
Paginator, which COUNTs, rendering page 1; the speed-ups compare it with
the rendered search.

Usage (the database is kept: it takes minutes to generate):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/apex_bench_scale \\
        .venv/bin/python bench/directory.py [--runs 40] [--baseline-runs 5]
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from urllib.parse import urlencode

from _common import database_name, load_average, setup_django

# The page cache keeps a visitor's page this long in the cached measurement
# (the setting's default); the rendered one runs with the cache off.
CACHE_SECONDS = 30

# "page 500" of the directory: the cursor that following Next 499 times
# reaches, built with one OFFSET query before the timing starts.
PAGE = 500
SEARCH_TERMS = {
    "common, 3+ letters": ["ann", "son", "max", "lewis"],
    "rare, 3+ letters": ["verstappen lewis", "zzq", "kubica", "{identifier}", "{username}"],
    "1–2 letters": ["a", "ma", "q", "zx"],
}
LIBRARY_REQUESTS: list[dict[str, object]] = [
    {},
    {"q": "monza"},
    {"q": "porsche gt3"},
    {"q": "zzq"},
    {"q": "wet", "brand": "BMW"},
    {"track": "Monza", "brand": "Porsche", "vehicle": "963"},
    {"q": "gt4", "track": "Spa-Francorchamps"},
    {"page": PAGE},
]
BASELINE_TEMPLATE = """<p>{{ page.paginator.count }} drivers</p><table>{% for p in page %}
<tr><td>{{ p.profile_name }}</td><td>{{ p.simulator.name }}</td><td>{{ p.linked_user.username }}</td></tr>
{% endfor %}</table><span>Page {{ page.number }} of {{ page.paginator.num_pages }}</span>"""


def setup() -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL bench database (see the docstring).")
    # whitenoise looks for collected static files; pages need only their URLs.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    setup_django()
    from django.conf import settings

    # No collectstatic here: page rendering needs static URLs, not a manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(call, runs: int, warmup: int = 3) -> tuple[float, float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="timed runs per request (after 3 warm-ups)")
    parser.add_argument("--baseline-runs", type=int, default=5)
    args = parser.parse_args()
    setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Q
    from django.template import Context, Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apex.caching import HEADER as CACHE_HEADER
    from apex.pagination import KEYSET_PAGE_SIZE as PAGE_SIZE
    from apex.pagination import _cursor
    from library.models import LibrarySetup
    from sims.models import SimProfile, Simulator

    client = Client()
    profiles = SimProfile.objects.count()
    sample = SimProfile.objects.filter(is_public=True, linked_user__isnull=False).select_related(
        "linked_user"
    )
    sample = sample.order_by("profile_identifier")[1234]
    simulator = Simulator.objects.get(slug="iracing")
    print(
        f"# {database_name(os.environ['DATABASE_URL'])}: {profiles:,} sim profiles, "
        f"{LibrarySetup.objects.count():,} library setups; load average {load_average()}; "
        f"{args.runs} runs per request after 3 warm-ups\n"
    )

    def page_cursor(queryset) -> str:
        last_of_previous = queryset.order_by("-updated_at", "-id")[(PAGE - 1) * PAGE_SIZE - 1]
        return urlencode({"after": _cursor(last_of_previous), "page": PAGE})

    public = SimProfile.objects.public()
    requests: list[tuple[str, str, str]] = []  # (group, label, url)
    for group, terms in SEARCH_TERMS.items():
        for term in terms:
            term = term.format(identifier=sample.profile_identifier, username=sample.linked_user.username)
            requests.append((f"search, {group}", term, f"/profiles/search/?{urlencode({'q': term})}"))
    requests += [
        ("browse", "/profiles/ page 1", "/profiles/"),
        ("browse", f"/profiles/ page {PAGE}", f"/profiles/?{page_cursor(public)}"),
        ("browse", "/profiles/iracing/ page 1", "/profiles/iracing/"),
        (
            "browse",
            f"/profiles/iracing/ page {PAGE}",
            f"/profiles/iracing/?{page_cursor(public.for_simulator(simulator))}",
        ),
    ]
    for params in LIBRARY_REQUESTS:
        label = " ".join(f"{k}={v}" for k, v in params.items()) or "(no search)"
        requests.append(("library", label, f"/library/?{urlencode(params)}"))

    def get(url: str, cached: str | None):
        """One request; ``cached`` is the X-Apex-Cache answer it must carry (None: not cached)."""
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.get(CACHE_HEADER) == cached, (url, response.get(CACHE_HEADER), cached)
        return response

    print(
        "Rendered: public-page cache off (PUBLIC_PAGE_CACHE_SECONDS = 0), every request queries and renders.\n"
    )
    print("| request | what | p50 ms | p95 ms | queries | COUNT? | rows shown |")
    print("|---|---|---:|---:|---:|---|---:|")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    results = {}
    for group, label, url in requests:
        with CaptureQueriesContext(connection) as captured:
            response = get(url, cached=None)
        queries = list(captured.captured_queries)  # read now: the next request clears the log
        counted = any("COUNT(" in q["sql"].upper() for q in queries)
        body = response.content.decode()
        shown = body.count("<tr") - 1 if "<tbody>" in body else 0  # minus the header row
        p50, p95 = measure(lambda url=url: get(url, cached=None), args.runs)
        results[label] = (p50, p95)
        print(
            f"| {group} | `{label}` | {p50:.1f} | {p95:.1f} | {len(queries)} | "
            f"{'yes' if counted else 'no'} | {shown} |"
        )
    worst = max(results.items(), key=lambda item: item[1][1])
    print(f"\nRendered, slowest p95: {worst[1][1]:.1f} ms (`{worst[0]}`).")

    print(
        f"\nCached, a separate measurement: the public-page cache on ({CACHE_SECONDS} s), filled by one "
        "request; every timed request is a cache hit (a visitor without cookies, a popular page).\n"
    )
    print("| request | what | p50 ms | p95 ms |")
    print("|---|---|---:|---:|")
    settings.PUBLIC_PAGE_CACHE_SECONDS = CACHE_SECONDS
    cache.clear()
    cached = {}
    for group, label, url in requests:
        get(url, cached="miss")
        p50, p95 = measure(lambda url=url: get(url, cached="hit"), args.runs)
        cached[label] = (p50, p95)
        print(f"| {group} | `{label}` | {p50:.1f} | {p95:.1f} |")
    worst_cached = max(cached.items(), key=lambda item: item[1][1])
    print(f"\nCached, slowest p95: {worst_cached[1][1]:.1f} ms (`{worst_cached[0]}`).")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    print(
        "\nBaseline: Paginator(icontains OR across the user join).get_page(1), rendered; same terms, "
        "against the rendered search.\n"
    )
    print("| term | baseline p50 ms | baseline p95 ms | new search p50 ms (rendered) | speed-up (p50) |")
    print("|---|---:|---:|---:|---:|")
    template = Template(BASELINE_TEMPLATE)
    speedups = []
    for group, label, _url in requests:
        if not group.startswith("search"):
            continue
        q = label

        def baseline(q=q):
            matches = SimProfile.objects.all()
            for term in q.split():
                matches = matches.filter(
                    Q(profile_name__icontains=term)
                    | Q(linked_user__username__icontains=term)
                    | Q(linked_user__first_name__icontains=term)
                    | Q(linked_user__last_name__icontains=term)
                )
            listing = matches.select_related("simulator", "linked_user").order_by("-updated_at", "-id")
            page = Paginator(listing, PAGE_SIZE).get_page(1)
            return template.render(Context({"page": page}))

        p50, p95 = measure(baseline, args.baseline_runs, warmup=1)
        speedups.append(p50 / results[label][0])
        print(f"| `{q}` | {p50:.0f} | {p95:.0f} | {results[label][0]:.1f} | {p50 / results[label][0]:.0f}x |")
    print(
        f"\nSpeed-up over the baseline: {min(speedups):.0f}x to {max(speedups):.0f}x, "
        f"median {statistics.median(speedups):.0f}x."
    )
    print(f"Rendered, slowest p95: {worst[1][1]:.1f} ms (`{worst[0]}`).")
    print(f"Load average at the end: {load_average()}.")


if __name__ == "__main__":
    main()
