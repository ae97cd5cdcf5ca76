import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from apex.caching import DIRECTORY, cached_in_generation
from apex.forms import ModelChoiceField
from sims.models import EventResult, SimProfile, Simulator, identifier_validator

# Most positions, laps and lap times fit easily; this is the database's limit.
MAX_WHOLE_NUMBER = 2_147_483_647
_LAP_RE = re.compile(r"^(?:(\d+):)?(\d+)(?:\.(\d{1,3}))?$")


class SimIdentifierField(forms.CharField):
    """The simulator platform's own ID for a driver: one URL path segment."""

    default_validators = [identifier_validator]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SimProfile._meta.get_field("profile_identifier").max_length)
        super().__init__(**kwargs)


class DriverNameField(forms.CharField):
    """The driver's name as the simulator shows it (spaces around it dropped)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SimProfile._meta.get_field("profile_name").max_length)
        kwargs.setdefault("error_messages", {"required": "Give the driver name shown on the simulator."})
        super().__init__(**kwargs)


class LapTimeField(forms.Field):
    """A lap time typed as ``m:ss.fff`` (``1:23.456``) or seconds (``83.456``), cleaned to milliseconds."""

    def to_python(self, value: Any) -> int | None:
        raw = "" if value is None else str(value).strip()
        if not raw:
            return None
        match = _LAP_RE.match(raw)
        if not match:
            raise forms.ValidationError("Write the lap as m:ss.fff or seconds.", code="invalid")
        minutes, seconds, fraction = match.groups()
        if minutes is not None and int(seconds) >= 60:
            raise forms.ValidationError(f"A lap of {raw} has {seconds} seconds.", code="invalid")
        total = (int(minutes or 0) * 60 + int(seconds)) * 1000 + int((fraction or "0").ljust(3, "0"))
        if total == 0:
            raise forms.ValidationError("A lap cannot take no time.", code="invalid")
        if total > MAX_WHOLE_NUMBER:
            raise forms.ValidationError("That lap is longer than Apex can store.", code="invalid")
        return total


# Every directory page renders the simulator select; its options change only with the directory.
SIMULATOR_CHOICES_TTL = 60 * 60


def simulator_choices() -> list[tuple[str, str]]:
    """(slug, name) of the active simulators, cached until the directory's next write (any of its models)."""
    return cached_in_generation(
        DIRECTORY,
        "simulator-choices",
        lambda: [(s.slug, str(s)) for s in Simulator.objects.active().only("slug", "name")],
        SIMULATOR_CHOICES_TTL,
    )


class _CachedSimulatorChoices(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from simulator_choices()


class DirectorySimulatorField(ModelChoiceField):
    """The directory's simulator filter: options from the cache, a chosen slug checked against the table."""

    iterator = _CachedSimulatorChoices


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label="Search drivers",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "Name, ID or username", "autocomplete": "off"}),
    )
    sim = DirectorySimulatorField(
        label="Simulator",
        queryset=Simulator.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="All simulators",
    )

    def cleaned_or_empty(self) -> dict[str, Any]:
        """Filters to apply; a bad simulator or an over-long query just means no such filter."""
        self.is_valid()  # a bound form keeps its valid fields in cleaned_data
        cleaned = getattr(self, "cleaned_data", {})
        return {"q": cleaned.get("q", ""), "sim": cleaned.get("sim")}


class ClaimSearchForm(forms.Form):
    q = forms.CharField(
        label="Find your profile",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "Your driver name or ID", "autocomplete": "off"}),
    )


class SimProfileAddForm(forms.Form):
    simulator = ModelChoiceField(queryset=Simulator.objects.active(), empty_label="Choose a simulator")
    profile_identifier = SimIdentifierField(
        label="Your ID on the simulator",
        help_text="The platform's own ID, e.g. your iRacing customer ID.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    profile_name = DriverNameField(label="Driver name")


class VisibilityForm(forms.Form):
    """Public or private: each button posts the state it switches to."""

    is_public = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @classmethod
    def toggle(cls, profile: SimProfile) -> "VisibilityForm":
        # No ids: one of these sits on every row of a list.
        return cls(initial={"is_public": not profile.is_public}, auto_id=False)


class ResultRowForm(forms.Form):
    """One row of a results file, with the directory's own fields for the driver."""

    identifier = SimIdentifierField()
    name = DriverNameField()
    position = forms.IntegerField(min_value=1, max_value=MAX_WHOLE_NUMBER)
    laps = forms.IntegerField(min_value=0, max_value=MAX_WHOLE_NUMBER, required=False)
    best_lap = LapTimeField(required=False)
    points = forms.DecimalField(
        max_digits=EventResult._meta.get_field("points").max_digits,
        decimal_places=EventResult._meta.get_field("points").decimal_places,
        required=False,
    )

    def clean_laps(self) -> int:
        return self.cleaned_data["laps"] or 0

    def clean_points(self) -> Decimal:
        points = self.cleaned_data["points"]
        return Decimal("0") if points is None else points
