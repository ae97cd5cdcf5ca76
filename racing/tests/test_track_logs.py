import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles import services as profile_services
from racing.models import TrackLog
from racing.tests.factories import make_track_log, make_vehicle, racer_of

HX = {"HX-Request": "true"}


@pytest.fixture
def racer(user):
    return racer_of(user)


@pytest.fixture
def log(racer):
    return make_track_log(racer, track="Genk", event="Club race", note="Loose rear")


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_timeline_is_newest_first(owner_client, racer):
    make_track_log(racer, track="Old track", timestamp=_ago(10))
    make_track_log(racer, track="New track", timestamp=_ago(1))
    page = owner_client.get(reverse("tracklog_list")).content.decode()
    assert page.index("New track") < page.index("Old track")


def test_timeline_shows_only_the_active_racer(owner_client, user, racer, log):
    sam = profile_services.create_profile(user, "Sam")
    make_track_log(sam, track="Mill")
    page = owner_client.get(reverse("tracklog_list")).content.decode()
    assert "Loose rear" in page and "Mill" not in page


def test_filter_by_track_and_vehicle(owner_client, racer):
    car = make_vehicle(racer, brand="Mugen", model="MBX8R")
    make_track_log(racer, track="Genk", vehicle=car, note="genk with car")
    make_track_log(racer, track="Genk", note="genk without car")
    make_track_log(racer, track="Mill", vehicle=car, note="mill with car")
    page = owner_client.get(reverse("tracklog_list"), {"track": "Genk", "vehicle": car.pk}).content.decode()
    assert "genk with car" in page and "genk without car" not in page and "mill with car" not in page


def test_the_chosen_filter_shows_selected_and_the_unfiltered_page_does_not(owner_client, racer):
    make_track_log(racer, track="Genk")
    make_track_log(racer, track="Mill")
    selected = '<option value="Mill" selected>Mill</option>'
    assert selected not in owner_client.get(reverse("tracklog_list")).content.decode()
    assert selected in owner_client.get(reverse("tracklog_list"), {"track": "Mill"}).content.decode()
    assert selected not in owner_client.get(reverse("tracklog_list"), {"page": "1"}).content.decode()


def test_htmx_filter_returns_the_timeline_fragment(owner_client, racer, log):
    response = owner_client.get(reverse("tracklog_list"), {"track": "Genk"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="timeline"' in html


def test_notes_are_escaped(owner_client, racer):
    make_track_log(racer, note='<script>alert("x")</script><b>bold</b>')
    page = owner_client.get(reverse("tracklog_list")).content.decode()
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_timeline_is_paginated_with_constant_queries(owner_client, racer, django_assert_max_num_queries):
    car = make_vehicle(racer)
    for i in range(5):
        make_track_log(racer, vehicle=car, timestamp=_ago(i))
    url = reverse("tracklog_list")
    owner_client.get(url)
    with django_assert_max_num_queries(10):
        owner_client.get(url)
    for i in range(45):
        make_track_log(racer, vehicle=car, timestamp=_ago(i + 10))
    with django_assert_max_num_queries(10):
        response = owner_client.get(url)
    # Not counted: Newer/Older and the page number, no total.
    html = response.content.decode()
    assert "Page 1" in html and "Page 1 of" not in html and 'rel="next" href="?page=2"' in html
    last = owner_client.get(url, {"page": 3}).content.decode()
    assert "Page 3" in last and 'rel="next"' not in last and 'rel="prev"' in last


def test_empty_timeline_says_so(owner_client, racer):
    assert "No track-log entries yet" in owner_client.get(reverse("tracklog_list")).content.decode()


def test_owner_adds_an_entry(owner_client, racer):
    response = owner_client.post(
        reverse("tracklog_create"), {"timestamp": "2025-05-04T10:30", "track": "Genk", "event": "Practice"}
    )
    assert response.status_code == 302
    assert TrackLog.objects.get().racer == racer


def test_entry_vehicle_must_be_the_active_racers(owner_client, user, racer):
    sam = profile_services.create_profile(user, "Sam")
    sams = make_vehicle(sam)
    response = owner_client.post(
        reverse("tracklog_create"), {"timestamp": "2025-05-04T10:30", "track": "Genk", "vehicle": sams.pk}
    )
    assert response.status_code == 200 and not TrackLog.objects.exists()


def test_owner_edits_an_entry(owner_client, log):
    response = owner_client.post(
        reverse("tracklog_edit", args=[log.pk]),
        {"timestamp": "2025-05-04T10:30", "track": "Mill", "note": "n"},
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.track == "Mill"


def test_delete_asks_first(owner_client, log):
    url = reverse("tracklog_delete", args=[log.pk])
    assert "cannot be undone" in owner_client.get(url).content.decode()
    assert TrackLog.objects.exists()
    owner_client.post(url)
    assert not TrackLog.objects.exists()


TRACKLOG_VIEWS = [
    ("tracklog_edit", "get"),
    ("tracklog_edit", "post"),
    ("tracklog_delete", "get"),
    ("tracklog_delete", "post"),
]


@pytest.mark.parametrize("name,method", TRACKLOG_VIEWS)
def test_other_user_gets_404(other_client, log, name, method):
    response = getattr(other_client, method)(
        reverse(name, args=[log.pk]), {"timestamp": "2025-05-04T10:30", "track": "Hacked"}
    )
    assert response.status_code == 404
    log.refresh_from_db()
    assert log.track == "Genk"


def test_other_users_entries_are_not_listed(other_client, log):
    assert "Loose rear" not in other_client.get(reverse("tracklog_list")).content.decode()


@pytest.mark.parametrize(
    "name,method", [*TRACKLOG_VIEWS, ("tracklog_list", "get"), ("tracklog_create", "get")]
)
def test_anonymous_is_sent_to_login(client, log, name, method):
    args = [] if name in ("tracklog_list", "tracklog_create") else [log.pk]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.postgres
def test_the_one_track_filter_reads_its_own_index(user):
    """racing 0010: one racer's entries of one track, newest first, from the index (no sort).

    The planner chooses between this index and (racer, timestamp) by the
    table's statistics, so the test gives it a racer's worth of entries over
    forty tracks and ANALYZEs them: on an empty, unanalysed table either plan
    costs the same and the choice is a coin toss.
    """
    from django.db import connection

    racer = racer_of(user)
    start = timezone.now()
    TrackLog.objects.bulk_create(
        TrackLog(racer=racer, track=f"Track {i % 40}", timestamp=start - datetime.timedelta(hours=i))
        for i in range(4000)
    )
    query = TrackLog.objects.for_racer(racer).filtered(track="track 7").values("id")[:20]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE racing_tracklog")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "tracklog_racer_track_time_idx" in plan and "Sort" not in plan, plan
