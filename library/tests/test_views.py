import pytest
from django.urls import reverse

from library.models import LibrarySetup
from library.tests.factories import make_library_setup
from racing.setup_params import FIELD_NAMES
from racing.tests.factories import make_baseline, make_vehicle, racer_of

HX = {"HX-Request": "true"}


@pytest.fixture
def setup(user):
    return make_library_setup(
        added_by=user, track="Rijswijk", brand="Mugen", vehicle="MBX8R", condition="wet"
    )


def _form_data(**fields) -> dict:
    data = {name: "" for name in FIELD_NAMES}
    data.update(
        {"track": "Genk", "brand": "Xray", "vehicle": "XB8", "condition": "dry", "date": "", "source": ""}
    )
    data.update(fields)
    return data


# --- queryset ------------------------------------------------------------------


def test_search_matches_every_word_in_any_field(db):
    a = make_library_setup(track="Rijswijk", brand="Mugen", vehicle="MBX8R", condition="wet")
    make_library_setup(track="Genk", brand="Mugen", vehicle="MBX8R", condition="dry")
    assert list(LibrarySetup.objects.search("mugen rijs")) == [a]
    assert LibrarySetup.objects.search("").count() == 2


def test_filters_chain_with_search(db):
    a = make_library_setup(track="Genk", brand="Xray", vehicle="XB8", condition="dry")
    make_library_setup(track="Genk", brand="Mugen", vehicle="MBX8R", condition="dry")
    assert list(LibrarySetup.objects.search("genk").filtered(brand="xray", condition="dry")) == [a]


# --- browsing (public) ------------------------------------------------------------


def test_anonymous_can_browse_search_and_see_a_setup(client, setup):
    page = client.get(reverse("library_list"), {"q": "rijswijk"}).content.decode()
    assert "Rijswijk" in page
    detail = client.get(setup.get_absolute_url())
    assert detail.status_code == 200 and "Front diff oil" in detail.content.decode()
    assert "Use as my baseline" not in detail.content.decode()


def test_search_input_updates_as_you_type(client, setup):
    page = client.get(reverse("library_list")).content.decode()
    assert "input changed delay:300ms from:#id_q" in page
    form = page[page.index('role="search"') : page.index("</form>")]
    assert 'hx-replace-url="true"' in form and "hx-push-url" not in form


def test_htmx_search_returns_only_results(client, setup):
    make_library_setup(track="Genk", brand="Xray", vehicle="XB8")
    response = client.get(reverse("library_list"), {"q": "genk"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="library-results"' in html
    assert "Genk" in html and "Rijswijk" not in html
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(client, setup):
    response = client.get(
        reverse("library_list"), {"q": "rijs"}, headers={**HX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_filter_selects_and_shared_url(client, setup):
    make_library_setup(track="Genk", brand="Xray", vehicle="XB8", condition="dry")
    page = client.get(reverse("library_list"), {"track": "Genk"}).content.decode()
    assert '<option value="Genk" selected>' in page
    assert "XB8" in page and "MBX8R</td>" not in page


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_is_constant(client, db, rows, django_assert_max_num_queries):
    for i in range(rows):
        make_library_setup(track=f"Track {i}")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("library_list"), {"q": "track"})
    assert response.status_code == 200


def test_list_is_paginated_by_20(client, db):
    for i in range(45):
        make_library_setup(track=f"Track {i}")
    page = client.get(reverse("library_list"), {"page": 3}).content.decode()
    assert "Page 3" in page and page.count('<td data-label="Track">') == 5
    assert "page=2" in page and "Older" not in page  # the last page: no next link, no total counted


def test_empty_search_says_so(client, setup):
    assert "No setups match" in client.get(reverse("library_list"), {"q": "nowhere"}).content.decode()


# --- adding, editing, deleting ----------------------------------------------------------


def test_logged_in_user_adds_a_setup(owner_client, user):
    response = owner_client.post(reverse("library_create"), _form_data(df="6000", c_f="-2"))
    setup = LibrarySetup.objects.get()
    assert response.status_code == 302 and setup.added_by == user
    assert setup.df == 6000 and str(setup.c_f) == "-2.00" and setup.dr is None and setup.sp_f == ""


def test_range_errors_on_the_form(owner_client):
    response = owner_client.post(reverse("library_create"), _form_data(bell="40"))
    assert "Clutch bell must be 10 – 20 teeth." in response.content.decode()
    assert not LibrarySetup.objects.exists()


def test_author_edits(owner_client, setup):
    response = owner_client.post(
        reverse("library_edit", args=[setup.pk]), _form_data(track="Mill", df="8000")
    )
    assert response.status_code == 302
    setup.refresh_from_db()
    assert setup.track == "Mill" and setup.df == 8000


def test_edit_form_is_prefilled(owner_client, setup):
    page = owner_client.get(reverse("library_edit", args=[setup.pk])).content.decode()
    assert 'name="df" value="7000"' in page and 'value="Rijswijk"' in page


def test_staff_may_edit_and_delete(staff_client, setup):
    assert staff_client.get(reverse("library_edit", args=[setup.pk])).status_code == 200
    assert staff_client.post(reverse("library_delete", args=[setup.pk])).status_code == 302
    assert not LibrarySetup.objects.exists()


@pytest.mark.parametrize(
    "name,method",
    [
        ("library_edit", "get"),
        ("library_edit", "post"),
        ("library_delete", "get"),
        ("library_delete", "post"),
    ],
)
def test_other_user_gets_403_with_a_clear_message(other_client, setup, name, method):
    response = getattr(other_client, method)(reverse(name, args=[setup.pk]), _form_data(track="Hacked"))
    assert response.status_code == 403
    assert "Only the person who shared this setup can change it" in response.content.decode()
    setup.refresh_from_db()
    assert setup.track == "Rijswijk"


@pytest.mark.parametrize(
    "name,method",
    [
        ("library_create", "get"),
        ("library_edit", "get"),
        ("library_delete", "post"),
        ("library_use", "post"),
    ],
)
def test_anonymous_is_sent_to_login(client, setup, name, method):
    args = [] if name == "library_create" else [setup.pk]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_delete_asks_first(owner_client, setup):
    assert "cannot be undone" in owner_client.get(reverse("library_delete", args=[setup.pk])).content.decode()
    assert LibrarySetup.objects.exists()


def test_missing_setup_is_404(client, db):
    assert client.get(reverse("library_detail", args=[999])).status_code == 404


# --- use as my baseline ------------------------------------------------------------------


def test_use_as_baseline_adds_a_version_and_shows_the_diff(owner_client, user, setup):
    vehicle = make_vehicle(racer_of(user))
    make_baseline(vehicle, df=9000)
    response = owner_client.post(
        reverse("library_use", args=[setup.pk]), {"vehicle": vehicle.pk}, follow=True
    )
    page = response.content.decode()
    current = vehicle.current_baseline()
    assert current.number == 2 and current.df == 7000 and "setup library" in current.note
    assert "Version 1 → version 2" in page and "Front diff oil" in page and "9000" in page


def test_use_as_baseline_into_someone_elses_vehicle_is_refused(other_client, user, setup):
    vehicle = make_vehicle(racer_of(user))
    response = other_client.post(reverse("library_use", args=[setup.pk]), {"vehicle": vehicle.pk})
    assert response.status_code == 302
    assert not vehicle.baseline_versions.exists()


def test_detail_offers_the_active_racers_vehicles(owner_client, user, setup):
    vehicle = make_vehicle(racer_of(user), model="Lancer")
    make_baseline(vehicle)
    page = owner_client.get(setup.get_absolute_url()).content.decode()
    assert "Use as my baseline" in page and "Lancer" in page
    assert f"?a=baseline:{vehicle.current_baseline().pk}&amp;b=library:{setup.pk}" in page


def test_chosen_vehicle_is_remembered_per_racer_only(owner_client, user, setup):
    from profiles import services as profile_services

    vehicle = make_vehicle(racer_of(user), model="Lancer")
    owner_client.post(reverse("library_use", args=[setup.pk]), {"vehicle": vehicle.pk})
    assert owner_client.session["racing:library_target_vehicle"] == vehicle.pk
    sam = profile_services.create_profile(user, "Sam")
    owner_client.post(reverse("racer_switch", args=[sam.pk]))
    assert "racing:library_target_vehicle" not in owner_client.session


def test_the_refusal_offers_a_way_back_only_within_the_site(other_client, setup):
    url = reverse("library_edit", args=[setup.pk])
    detail = f"http://testserver{setup.get_absolute_url()}"
    page = other_client.get(url, headers={"Referer": detail}).content.decode()
    assert f'<a class="button" href="{detail}">Back</a>' in page
    page = other_client.get(url, headers={"Referer": "https://evil.example/"}).content.decode()
    assert "evil.example" not in page and "Back to the start page" in page
