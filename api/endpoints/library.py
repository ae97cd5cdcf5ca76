"""The setup library search (public) and the setup advisor."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.http.request import QueryDict
from ninja import Query, Router

from advisor.forms import AdviceForm, BaselineAdviceForm
from advisor.views import MAX_SUGGESTIONS
from api.auth import READ
from api.endpoints.common import PUBLIC_ERRORS, READ_ERRORS, text_filter
from api.endpoints.garage import own_vehicle
from api.endpoints.race_days import own_race_day
from api.pagination import PageParams, keyset
from api.problems import ApiProblem, field_problem
from api.schemas import AdviceIn, LibrarySetupOut, SuggestionOut, page_of
from library.models import LibrarySetup
from racing.advisor import Suggestion, advise

router = Router(tags=["library and advisor"])
LibraryPage = page_of(LibrarySetupOut, "LibraryPage")


class LibraryFilters(PageParams):
    q: str = text_filter(100, "Words of the track, brand, vehicle, condition or source.")
    track: str = text_filter(120)
    brand: str = text_filter(60)
    vehicle: str = text_filter(100)
    condition: str = text_filter(60)


@router.get("/library", response={200: LibraryPage, **PUBLIC_ERRORS}, auth=None)
def library_search(request: HttpRequest, filters: Query[LibraryFilters]) -> dict[str, object]:
    """Community setups, newest shared first; searched and filtered like the library page."""
    setups = LibrarySetup.objects.search(filters.q).filtered(
        track=filters.track, brand=filters.brand, vehicle=filters.vehicle, condition=filters.condition
    )
    items, cursor = keyset(setups, filters, order=("-id",))
    return {"items": items, "next_cursor": cursor}


def _suggestion(s: Suggestion) -> dict[str, Any]:
    return {
        "parameter": s.parameter,
        "label": s.param.label,
        "direction": s.direction,
        "old_value": s.old_text,
        "new_value": s.new_text or None,
        "advice": s.advice,
        "reason": s.reason,
        "symptom": s.symptom,
        "symptoms": s.symptoms,
        "history": s.history,
        "sources": [doc.title for doc in s.sources],
        "community": f"{s.community.text} ({s.community.count} setups, {s.community.where})"
        if s.community
        else None,
    }


@router.post("/advisor", response={200: list[SuggestionOut], **READ_ERRORS}, auth=READ)
def advisor(request: HttpRequest, payload: AdviceIn) -> list[dict[str, Any]]:
    """What to change for the symptoms, best first, on a race day's setup or a vehicle's baseline.

    Reads only (a read token will do): to try a suggestion, add it as a race-day change.
    """
    if (payload.race_day is None) == (payload.vehicle is None):
        raise ApiProblem(
            422,
            "Give either race_day or vehicle: the setup to advise on.",
            errors=[{"field": "race_day", "message": "Give either race_day or vehicle."}],
        )
    symptoms = QueryDict(mutable=True)
    symptoms.setlist("symptom", payload.symptoms)
    if payload.race_day is not None:
        race_day = own_race_day(request, payload.race_day)
        form = AdviceForm(symptoms)
        if not form.is_valid():
            raise _symptom_errors(form.errors)
        suggestions = advise(
            setup=race_day, symptoms=form.cleaned_data["symptom"], conditions=race_day, racer=race_day.racer
        )
    else:
        vehicle = own_vehicle(request, payload.vehicle or 0)
        baseline = vehicle.current_baseline()
        if baseline is None:
            raise ApiProblem(
                422,
                "vehicle: this vehicle has no baseline yet; save one first.",
                errors=[{"field": "vehicle", "message": "No baseline yet."}],
            )
        symptoms.update(
            {
                "track": payload.track,
                "grip": payload.grip,
                "temperature": "" if payload.temperature is None else str(Decimal(str(payload.temperature))),
            }
        )
        form = BaselineAdviceForm(symptoms)
        if not form.is_valid():
            raise _symptom_errors(form.errors)
        suggestions = advise(
            setup=baseline,
            symptoms=form.cleaned_data["symptom"],
            conditions=form.cleaned_data,
            racer=vehicle.racer,
        )
    return [_suggestion(s) for s in suggestions[:MAX_SUGGESTIONS]]


def _symptom_errors(errors: Any) -> ApiProblem:
    renamed = {
        ("symptoms" if name == "symptom" else name): list(messages) for name, messages in errors.items()
    }
    return field_problem(renamed)
