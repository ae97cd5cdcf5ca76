"""{% memo %} renders a fragment once per set of values, and each request still gets its own slots."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Engine, TemplateSyntaxError
from django.test import Client
from django.urls import reverse

import apex.memo
from apex.memo import form_key
from apex.tests.fixtures import make_user
from profiles import services
from sims.models import Simulator

ENGINE = Engine(libraries={"memo": "apex.memo"})


class Counter:
    """Counts how often the template renders it."""

    def __init__(self) -> None:
        self.renders = 0

    def __str__(self) -> str:
        self.renders += 1
        return ""


def _template(source: str):
    return ENGINE.from_string("{% load memo %}" + source)


def test_the_block_renders_once_per_key_and_again_for_a_new_key():
    template = _template("{% memo name %}Hello {{ name }}{{ counter }}{% endmemo %}")
    counter = Counter()
    assert template.render(Context({"name": "Alex", "counter": counter})) == "Hello Alex"
    assert template.render(Context({"name": "Alex", "counter": counter})) == "Hello Alex"
    assert counter.renders == 1
    assert template.render(Context({"name": "Sam", "counter": counter})) == "Hello Sam"
    assert counter.renders == 2


def test_slots_take_each_render_s_own_value_escaped():
    template = _template("{% memo name slots token %}{{ name }}:{{ token }}{% endmemo %}")
    assert template.render(Context({"name": "Alex", "token": "one"})) == "Alex:one"
    assert template.render(Context({"name": "Alex", "token": "<two>"})) == "Alex:&lt;two&gt;"


def test_keys_are_compared_by_content():
    template = _template("{% memo rows %}{% for row in rows %}{{ row.name }}{% endfor %}{% endmemo %}")
    assert template.render(Context({"rows": [{"name": "Alex"}]})) == "Alex"
    assert template.render(Context({"rows": [{"name": "Sam"}]})) == "Sam"
    assert template.render(Context({"rows": [{"name": "Alex"}, {"name": "Sam"}]})) == "AlexSam"


@pytest.mark.django_db
def test_a_model_is_not_a_key(user):
    template = _template("{% memo racer %}{{ racer.name }}{% endmemo %}")
    racer = services.racer_get_or_create_default(owner=user)
    with pytest.raises(TypeError, match="plain values"):
        template.render(Context({"racer": racer}))


def test_a_memo_needs_a_key():
    with pytest.raises(TemplateSyntaxError, match="at least one value"):
        _template("{% memo slots token %}{{ token }}{% endmemo %}")


def test_the_oldest_key_makes_room(monkeypatch):
    monkeypatch.setattr(apex.memo, "MAX_ENTRIES", 2)
    template = _template("{% memo name %}{{ name }}{{ counter }}{% endmemo %}")
    counter = Counter()
    for name in ("a", "b", "c"):
        template.render(Context({"name": name, "counter": counter}))
    assert counter.renders == 3
    template.render(Context({"name": "c", "counter": counter}))
    assert counter.renders == 3
    template.render(Context({"name": "a", "counter": counter}))  # gone: rendered again
    assert counter.renders == 4


# --- The page header ------------------------------------------------------------


def _header(client: Client, url: str = "/") -> str:
    page = client.get(url).content.decode()
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def _untokened(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _nexts(html: str) -> set[str]:
    return set(re.findall(r'name="next" value="([^"]*)"', html))


@pytest.mark.django_db
def test_each_user_sees_their_own_name_and_racers():
    alex, sam = make_user("alex"), make_user("sam")
    alex_client, sam_client = Client(), Client()
    alex_client.force_login(alex)
    sam_client.force_login(sam)
    services.racer_create(owner=alex, name="Alex junior")
    alex_header, sam_header = _header(alex_client), _header(sam_client)
    assert ">alex</a>" in alex_header and "Alex junior" in alex_header
    assert ">sam</a>" in sam_header and "Alex junior" not in sam_header
    # Again, from the memo: the same markup but for this request's (masked) CSRF token.
    assert _untokened(_header(alex_client)) == _untokened(alex_header)
    assert "Alex junior" not in _header(sam_client)


@pytest.mark.django_db
def test_a_renamed_racer_shows_its_new_name(owner_client, user):
    racer = services.racer_get_or_create_default(owner=user)
    assert racer.name in _header(owner_client)
    racer.name = "Renamed"
    racer.save()
    header = _header(owner_client)
    assert "Renamed" in header and f">{racer.name}<" in header


@pytest.mark.django_db
def test_every_page_gets_its_own_next_and_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    services.racer_get_or_create_default(owner=user)
    garage = _header(client, reverse("vehicle_list"))
    track_log = _header(client, reverse("tracklog_list") + "?page=2")
    assert _nexts(garage) == {reverse("vehicle_list")}
    assert _nexts(track_log) == {reverse("tracklog_list") + "?page=2"}
    # The memo's markup carries this request's token: the logout form in the header works.
    (token,) = _tokens(track_log)
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_another_browser_of_the_same_user_gets_its_own_token(user):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(user)
    first_tokens, second_tokens = _tokens(_header(first)), _tokens(_header(second))
    assert first_tokens and second_tokens and first_tokens != second_tokens
    # Each token belongs to its own browser's CSRF cookie: the second's posts work with its own.
    (token,) = second_tokens
    assert (
        second.post(
            reverse("racer_create"), {"from_switcher": "1", "name": "Kit", "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    assert (
        first.post(
            reverse("racer_create"), {"from_switcher": "1", "name": "Kim", "csrfmiddlewaretoken": token}
        ).status_code
        == 403
    )


def test_anonymous_visitors_get_the_log_in_header(client, db):
    header = _header(client)
    assert "Log in" in header and "racer-switcher" not in header
    assert not _tokens(header)


# --- form_key --------------------------------------------------------------------


class _Setup(forms.Form):
    oil = forms.DecimalField()
    tyre = forms.ChoiceField(choices=[("soft", "Soft"), ("hard", "Hard")])


def test_a_form_key_tells_apart_what_an_unbound_form_shows():
    assert form_key(_Setup(initial={"oil": Decimal("1.0")})) != form_key(
        _Setup(initial={"oil": Decimal("1.00")})
    )
    assert form_key(_Setup(initial={"oil": 7})) == form_key(_Setup(initial={"oil": 7}))
    other_choices = _Setup(initial={"oil": 7})
    other_choices.fields["tyre"].choices = [("soft", "Soft")]  # type: ignore[attr-defined]
    assert form_key(other_choices) != form_key(_Setup(initial={"oil": 7}))
    other_attrs = _Setup(initial={"oil": 7})
    other_attrs.fields["oil"].widget.attrs["data-x"] = ""
    assert form_key(other_attrs) != form_key(_Setup(initial={"oil": 7}))
    assert form_key(_Setup(initial={"oil": 7}, prefix="b")) != form_key(_Setup(initial={"oil": 7}))
    assert form_key(_Setup(initial={"oil": 7}, label_suffix="!")) != form_key(_Setup(initial={"oil": 7}))


def test_a_bound_form_or_one_with_model_choices_is_not_kept(db):
    assert form_key(_Setup({"oil": "7"})) is None

    class WithSimulator(forms.Form):
        simulator = forms.ModelChoiceField(queryset=Simulator.objects.all())

    assert form_key(WithSimulator()) is None
