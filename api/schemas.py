"""What the API sends and accepts; the OpenAPI schema is generated from these classes."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from racing.models import BaselineVersion, RaceDay, RaceDayRound
from racing.setup_params import PARAMS
from racing.setup_values import SetupValues

SetupIn = dict[str, str | int | float | None]
EventName = Literal["race_day.closed", "baseline.saved", "sim_profile.linked"]


def setup_of(obj: SetupValues) -> dict[str, str]:
    """The 24 parameters as the pages show them ("" when not set); keys are the parameter codes in lower case."""
    return {p.field: p.format(getattr(obj, p.field)) for p in PARAMS}


def setup_form_data(values: SetupIn) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in values.items()}


class RacerOut(Schema):
    id: int
    name: str
    is_default: bool
    vehicle_count: int


class VehicleOut(Schema):
    id: int
    racer: int = Field(validation_alias="racer_id")
    brand: str
    model: str
    nickname: str
    transponder: str
    current_version: int | None = Field(None, description="The current baseline version number.")
    open_race_day: int | None = Field(None, validation_alias="open_race_day_id")


class BaselineOut(Schema):
    vehicle: int = Field(validation_alias="vehicle_id")
    number: int
    note: str
    created_at: dt.datetime
    values: dict[str, str]

    @staticmethod
    def resolve_values(obj: BaselineVersion) -> dict[str, str]:
        return setup_of(obj)


class BaselineIn(Schema):
    based_on: int = Field(
        ge=0, description="The version number the edit started from (0 when the vehicle has none yet)."
    )
    note: str = ""
    values: SetupIn = Field(
        default_factory=dict, description="Parameter code → value; blank or missing is not set."
    )


class StaleBaselineProblem(Schema):
    type: str
    title: str
    status: int
    detail: str
    current: BaselineOut | None
    yours: dict[str, Any]


class ChangeOut(Schema):
    id: int
    parameter: str
    old_value: str
    new_value: str
    reason: str
    symptom: str
    status: str
    created_at: dt.datetime


class RoundOut(Schema):
    id: int
    kind: str
    result: str
    note: str
    created_at: dt.datetime
    laps: list[str] = Field(description='Lap times in seconds, in order ("32.451").')

    @staticmethod
    def resolve_laps(obj: RaceDayRound) -> list[str]:
        return [str(lap.time) for lap in obj.laps.all()]


class RaceDayOut(Schema):
    id: int
    racer: int = Field(validation_alias="racer_id")
    vehicle: int = Field(validation_alias="vehicle_id")
    based_on_version: int | None
    track: str
    date: dt.date
    surface: str
    grip: str
    temperature: str | None
    weather: str
    status: str
    closed_at: dt.datetime | None
    values: dict[str, str]

    @staticmethod
    def resolve_based_on_version(obj: RaceDay) -> int | None:
        return obj.based_on.number if obj.based_on_id and obj.based_on else None

    @staticmethod
    def resolve_temperature(obj: RaceDay) -> str | None:
        return None if obj.temperature is None else str(obj.temperature)

    @staticmethod
    def resolve_values(obj: RaceDay) -> dict[str, str]:
        return setup_of(obj)


class RaceDayDetailOut(RaceDayOut):
    changes: list[ChangeOut]
    rounds: list[RoundOut]

    @staticmethod
    def resolve_changes(obj: RaceDay) -> list[Any]:
        return list(obj.changes.all())

    @staticmethod
    def resolve_rounds(obj: RaceDay) -> list[Any]:
        return list(obj.rounds.prefetch_related("laps"))


class RaceDayStartIn(Schema):
    vehicle: int
    track: str
    date: dt.date
    surface: str = ""
    grip: str = ""
    temperature: float | None = None
    weather: str = ""


class ChangeIn(Schema):
    parameter: str = Field(description="A parameter code, e.g. df (front diff oil).")
    old_value: str = ""
    new_value: str = ""
    reason: str = ""
    symptom: str = ""
    status: Literal["planned", "tried", "kept", "reverted"] = "planned"


class RoundIn(Schema):
    kind: Literal["practice", "qualifier", "main"]
    result: str = Field("", description="e.g. “P3, 21 laps, best 32.4 s”.")
    note: str = ""
    laps: list[Decimal | str] = Field(
        default_factory=list,
        description="The round's lap times in order, as the timing screen shows them: "
        'seconds (32.451) or minutes:seconds ("1:02.004"). A bad value is refused, quoted.',
        max_length=500,
    )


class CloseIn(Schema):
    note: str = Field("", description="Added to the track-log entry.")


class TrackLogOut(Schema):
    id: int
    racer: int = Field(validation_alias="racer_id")
    timestamp: dt.datetime
    track: str
    vehicle: int | None = Field(validation_alias="vehicle_id")
    event: str
    note: str
    race_day: int | None = Field(validation_alias="race_day_id")


class LibrarySetupOut(Schema):
    id: int
    track: str
    brand: str
    vehicle: str
    condition: str
    date: dt.date | None
    source: str
    values: dict[str, str]

    @staticmethod
    def resolve_values(obj: SetupValues) -> dict[str, str]:
        return setup_of(obj)


class AdviceIn(Schema):
    symptoms: list[str] = Field(description="Symptom codes, e.g. entry_understeer.")
    race_day: int | None = Field(None, description="Advise on this race day's setup and conditions.")
    vehicle: int | None = Field(None, description="Or on this vehicle's current baseline.")
    track: str = ""
    grip: str = ""
    temperature: float | None = None


class SuggestionOut(Schema):
    parameter: str
    label: str
    direction: int
    old_value: str
    new_value: str | None
    advice: str
    reason: str
    symptom: str
    symptoms: list[str]
    history: str
    sources: list[str]
    community: str | None


class SimProfileOut(Schema):
    id: uuid.UUID
    simulator: str
    simulator_name: str
    identifier: str = Field(validation_alias="profile_identifier")
    name: str = Field(validation_alias="profile_name")
    is_verified: bool
    is_public: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_simulator(obj: Any) -> str:
        return str(obj.simulator.slug)

    @staticmethod
    def resolve_simulator_name(obj: Any) -> str:
        return str(obj.simulator.name)


class ResultOut(Schema):
    event: str
    event_id: int
    position: int
    laps: int
    best_lap_ms: int | None
    points: str

    @staticmethod
    def resolve_event(obj: Any) -> str:
        return str(obj.event.name)

    @staticmethod
    def resolve_points(obj: Any) -> str:
        return str(obj.points)


class SimProfileDetailOut(SimProfileOut):
    results: list[ResultOut] = Field(validation_alias="results_list")


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="http(s) URL that receives a signed POST per event.")
    events: list[EventName] = Field(min_length=1)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: dt.datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Signs every delivery (X-Apex-Signature); shown only now.")


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    response_status: int | None
    last_error: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The page schema of a list: ``items`` and ``next_cursor`` (null on the last page)."""
    return type(
        name,
        (Schema,),
        {"__annotations__": {"items": list[item], "next_cursor": str | None}},  # type: ignore[valid-type]  # a schema class made per list
    )
