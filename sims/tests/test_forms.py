"""The pages render the forms in sims/forms.py: their widgets, attributes and labels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sims.forms import ClaimSearchForm, DirectorySearchForm, SimProfileAddForm, VisibilityForm
from sims.models import SimProfile, Simulator
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db


def test_directory_renders_its_search_form_with_the_forms_widgets(client):
    make_simulator("acc", "ACC")
    body = client.get(reverse("sim_profile_browse")).content.decode()
    form = DirectorySearchForm()
    assert str(form["q"]) in body and str(form["sim"]) in body
    assert 'type="search"' in body and 'placeholder="Name, ID or username"' in body
    assert '<label for="id_q">' in body and '<label for="id_sim">' in body


def test_search_box_keeps_what_was_typed_and_the_chosen_simulator(client):
    make_simulator("acc", "ACC")
    body = client.get(reverse("sim_profile_search"), {"q": "ro", "sim": "acc"}).content.decode()
    assert 'value="ro"' in body and '<option value="acc" selected>ACC</option>' in body


def test_a_simulators_page_starts_its_search_from_that_simulator(client):
    make_simulator("iracing", "iRacing")
    make_simulator("acc", "ACC")
    body = client.get(reverse("simulator_profiles", args=["acc"])).content.decode()
    assert '<option value="acc" selected>ACC</option>' in body
    assert '<option value="iracing" selected>' not in body


def test_inactive_simulators_are_not_offered(client):
    make_simulator("acc", "ACC")
    make_simulator("old", "Old Sim", is_active=False)
    body = client.get(reverse("sim_profile_browse")).content.decode()
    assert "ACC" in body and "Old Sim" not in body


def test_a_bad_simulator_drops_that_filter_and_keeps_the_words(client):
    make_profile(make_simulator("acc", "ACC"), name="Rossi Acc")
    make_profile(make_simulator("iracing"), name="Rossi Ir")
    response = client.get(reverse("sim_profile_search"), {"q": "rossi", "sim": "no-such-sim"})
    assert sorted(p.profile_name for p in response.context["profiles"]) == ["Rossi Acc", "Rossi Ir"]


def test_claim_search_renders_its_form(owner_client):
    body = owner_client.get(reverse("my_sim_profile_search"), {"q": "dee"}).content.decode()
    assert str(ClaimSearchForm({"q": "dee"})["q"]) in body
    assert 'hx-trigger="input changed delay:300ms from:#id_q, submit"' in body


def test_add_page_renders_its_form_with_help_and_attributes(owner_client):
    make_simulator()
    body = owner_client.get(reverse("sim_profile_add")).content.decode()
    form = SimProfileAddForm()
    for name in ("simulator", "profile_identifier", "profile_name"):
        assert str(form[name]) in body
    assert 'autocapitalize="none"' in body and "your iRacing customer ID" in body


def test_visibility_buttons_post_the_state_they_switch_to(owner_client, user):
    profile = make_profile(linked_user=user)
    body = owner_client.get(reverse("my_sim_profiles")).content.decode()
    assert str(VisibilityForm.toggle(profile)["is_public"]) in body
    assert '<input type="hidden" name="is_public" value="False">' in body
    owner_client.post(reverse("sim_profile_visibility", args=[profile.pk]), {"is_public": "False"})
    assert SimProfile.objects.get(pk=profile.pk).is_public is False
    body = owner_client.get(profile.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="is_public" value="True">' in body
    owner_client.post(reverse("sim_profile_visibility", args=[profile.pk]), {"is_public": "True"})
    assert SimProfile.objects.get(pk=profile.pk).is_public is True


def _simulator_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('FROM "sims_simulator"' in q["sql"] for q in captured.captured_queries)


def test_the_directory_reads_its_simulators_once_until_the_directory_changes(client):
    make_simulator("acc", "ACC")
    url = reverse("sim_profile_search") + "?q=ro"
    assert _simulator_queries(client, url) == 1
    assert _simulator_queries(client, url) == 0  # the select's options from the cache
    make_simulator("iracing", "iRacing")
    assert _simulator_queries(client, url) == 1
    assert '<option value="iracing">iRacing</option>' in client.get(url).content.decode()


def test_a_renamed_or_retired_simulator_changes_the_select_at_once(client):
    acc = make_simulator("acc", "ACC")
    url = reverse("sim_profile_browse")
    assert '<option value="acc">ACC</option>' in client.get(url).content.decode()
    acc.name = "Assetto Corsa Competizione"
    acc.save()
    assert '<option value="acc">Assetto Corsa Competizione</option>' in client.get(url).content.decode()
    acc.is_active = False
    acc.save()
    assert 'value="acc"' not in client.get(url).content.decode()


def test_a_chosen_simulator_is_checked_against_the_table_not_the_cache(client):
    make_simulator("acc", "ACC")
    client.get(reverse("sim_profile_browse"))  # the options cached
    form = DirectorySearchForm({"q": "", "sim": "acc"})
    assert form.cleaned_or_empty()["sim"].slug == "acc"
    Simulator.objects.filter(slug="acc").update(is_active=False)  # no signal: the cache still offers it
    assert DirectorySearchForm({"q": "", "sim": "acc"}).cleaned_or_empty()["sim"] is None
