"""The Nu HTML checker (vnu.jar, pinned in tools/vnu/package.json) finds no error on any main page.

Pages are rendered by the test client as a visitor and as a racer with data,
written to files and checked in one run of the checker (one JVM start).
"""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from apex.tests.fixtures import confirmation_link, sign_up
from library.tests.factories import make_library_setup
from racing import services as racing_services
from racing.tests.factories import make_baseline, make_race_day, make_track_log, make_vehicle, racer_of
from sims import services as sims_services
from sims.tests.factories import make_event, make_profile, make_result, make_simulator

# Installed by `make test` (npm, from tools/vnu/package.json and its lock).
VNU = Path(__file__).resolve().parents[2] / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


def _check(pages: dict[str, str], tmp_path: Path) -> list[str]:
    java = shutil.which("java")
    assert java, "The HTML check needs a Java runtime (Debian's default-jre-headless)."
    assert VNU.exists(), f"{VNU} is missing: run `make test` (it installs the checker with npm)."
    files = []
    for n, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"{n:02d}-{name.strip('/').replace('/', '_') or 'home'}.html"
        path.write_text(html)
        files.append(str(path))
    run = subprocess.run(  # noqa: S603 - our own java and jar, our own files
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} — {m.get('extract', '')!r}"
        for m in messages
    ]


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_no_html_errors_on_the_main_pages(owner_client, user, tmp_path):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle, note="Kit")
    make_baseline(vehicle, note="Softer")
    day = make_race_day(racer, vehicle)
    racing_services.race_day_round_add(
        race_day=day, kind="practice", note="Loose", result="P3", laps=[Decimal("32.4"), Decimal("32.1")]
    )
    racing_services.race_day_change_add(race_day=day, parameter="df", old_value="7000", new_value="6000")
    make_track_log(racer, note="Loose rear")
    setup = make_library_setup(track="Genk")
    simulator = make_simulator("iracing", "iRacing")
    profile = make_profile(simulator, name="Nu Driver", linked_user=user)
    make_result(make_event(simulator), profile)
    # A verification code and an ID waiting to be added share My sim profiles: ids must not clash.
    sims_services.verification_request(profile=profile, user=user, ip=None)
    waiting = sims_services.add_request_open(
        simulator=simulator, identifier="NU-1", name="Nu Driver", user=user, ip=None
    )

    public = [
        reverse("home"),
        reverse("sim_profile_browse"),
        reverse("simulator_profiles", args=["iracing"]),
        profile.get_absolute_url(),
        reverse("library_list"),
        setup.get_absolute_url(),
        reverse("theory_list"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_email_verification_sent"),
        reverse("account_confirm_email", args=["expired"]),
    ]
    private = [
        reverse("home"),
        reverse("racer_list"),
        reverse("vehicle_list"),
        vehicle.get_absolute_url(),
        reverse("vehicle_create"),
        f"/garage/vehicles/{vehicle.pk}/baseline/",
        f"/garage/vehicles/{vehicle.pk}/baseline/versions/",
        f"/garage/vehicles/{vehicle.pk}/baseline/versions/1/",
        reverse("raceday_list"),
        reverse("raceday_start"),
        day.get_absolute_url(),
        reverse("raceday_analysis", args=[day.pk]),
        reverse("raceday_laps_import", args=[day.pk]),
        reverse("vehicle_lap_history", args=[vehicle.pk]) + f"?track={day.track}",
        reverse("laps_compare"),
        reverse("api_tokens"),
        reverse("tracklog_list"),
        reverse("tracklog_create"),
        reverse("library_create"),
        reverse("my_sim_profiles"),
        reverse("sim_profile_add"),
        waiting.get_cancel_url(),
        reverse("my_sim_profile_search") + "?q=nu",
        f"/garage/vehicles/{vehicle.pk}/baseline/advice/?symptom=entry_understeer",
    ]
    pages = {f"anon{url}": _get(Client(), url) for url in public}
    pages |= {f"racer{url}": _get(owner_client, url) for url in private}
    newcomer = Client()  # just signed up: "check your e-mail", then the e-mailed link
    sign_up(newcomer, "newcomer")
    pages["signed-up/check-your-email"] = _get(newcomer, reverse("account_email_verification_sent"))
    pages["signed-up/confirm"] = _get(newcomer, confirmation_link("newcomer@example.com"))
    errors = _check(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_template_comments_that_span_lines_use_the_comment_tag():
    """Django's {# #} is one line only: a longer one is printed on the page as text."""
    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if any("\n" in match for match in re.findall(r"\{#(.*?)#\}", path.read_text(), flags=re.S))
    ]
    assert offenders == []
