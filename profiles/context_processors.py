from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apex.caching import cached_in_scopes, owner_scope
from apex.links import link
from profiles.forms import NewRacerForm
from profiles.models import RacerProfile


@dataclass(frozen=True)
class SwitcherRacer:
    """What the switcher shows of a racer."""

    pk: int
    name: str
    is_default: bool
    vehicle_count: int

    # Properties, not fields: the racers are cached, their links are built
    # for the page that shows them (apex.links, no reverse() per racer).
    @property
    def set_default_url(self) -> str:
        return link("racer_set_default", self.pk)

    @property
    def switch_url(self) -> str:
        return link("racer_switch", self.pk)


def switcher_racers(owner_id: int) -> list[SwitcherRacer]:
    """The account's racers with their vehicle counts, default first.

    Every page shows them, so they are cached per account; adding, renaming,
    starring or deleting a racer and adding or deleting a vehicle retire
    them (``profiles.signals``, ``racing.signals``).
    """

    def compute() -> list[SwitcherRacer]:
        racers = RacerProfile.objects.filter(owner_id=owner_id).with_vehicle_count().default_first()
        return [SwitcherRacer(r.pk, r.name, r.is_default, r.vehicle_count) for r in racers]

    return cached_in_scopes([owner_scope(owner_id)], "switcher", compute)


def switcher_rows(racers: list[SwitcherRacer], active_pk: int | None) -> list[dict[str, object]]:
    """What the switcher writes of each racer on this page, as plain values.

    The template reads dicts with every attribute already chosen: asking
    each racer "is this the active one, is it the default" in the template
    took six lookups through the request and the racer per row, on every
    logged-in page.
    """
    rows = []
    for racer in racers:
        name, default, active = racer.name, racer.is_default, racer.pk == active_pk
        rows.append(
            {
                "pk": racer.pk,
                "name": name,
                "active": active,
                "row_class": "switcher-row is-active" if active else "switcher-row",
                "set_default_url": racer.set_default_url,
                "switch_url": racer.switch_url,
                "star": "★" if default else "☆",
                "star_class": "star is-default" if default else "star",
                "star_title": "Default racer (loads on login)" if default else f"Make {name} the default",
                "star_label": f"{name} is the default racer" if default else f"Make {name} the default racer",
                "pressed": "true" if default else "false",
                "vehicles": f"{racer.vehicle_count} vehicle{'' if racer.vehicle_count == 1 else 's'}",
            }
        )
    return rows


def racer_switcher(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The page shows another racer's rows (profiles.session.show_racer_page): base.html says
    # so with a one-tap switch, and disables the page's forms until then.
    page_racer: RacerProfile | None = getattr(request, "page_racer", None)
    active: RacerProfile | None = getattr(request, "racer", None)
    other_racer = page_racer if page_racer and active and page_racer.pk != active.pk else None
    owner_id = user.pk
    htmx = getattr(request, "htmx", None)
    # Read only when a template renders the switcher.
    return {
        # Re-rendered by htmx after a star or a new racer: "next" must stay the page the user is on, not the endpoint.
        "switcher_next": (htmx.current_url_abs_path if htmx else None) or request.get_full_path(),
        "switcher_racers": SimpleLazyObject(
            lambda: switcher_rows(switcher_racers(owner_id), active.pk if active else None)
        ),
        "switcher_form": NewRacerForm(),
        "other_racer": other_racer,
    }
