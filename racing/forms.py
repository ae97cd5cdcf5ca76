from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from apex.forms import ModelChoiceField
from profiles.models import RacerProfile
from racing.caching import racer_usual_parameters
from racing.laps import parse_lap_times
from racing.models import RaceDay, RaceDayChange, RaceDayRound, TrackLog, Vehicle
from racing.setup_params import BY_FIELD, PARAMS, Value, grouped
from racing.symptoms import Symptom
from racing.timing_import import FORMATS


class SetupFieldsMixin(forms.BaseForm):
    """The 24 parameters as fields, grouped for the template."""

    def add_setup_fields(self) -> None:
        for param in PARAMS:
            self.fields[param.field] = param.form_field()

    def setup_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[p.field] for p in params]) for _key, label, params in grouped()]

    def setup_values(self) -> dict[str, Value]:
        return {p.field: p.stored(self.cleaned_data.get(p.field)) for p in PARAMS}


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["brand", "model", "nickname", "transponder"]
        help_texts = {"nickname": "Optional: tells two cars of the same model apart."}

    def __init__(self, *args: Any, racer: RacerProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.racer = racer
        self.fields["transponder"].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The database refuses the duplicate (unique_vehicle_per_racer); this
        # turns it into a sentence before it gets that far.
        brand, model = cleaned.get("brand"), cleaned.get("model")
        if brand and model:
            nickname = cleaned.get("nickname", "")
            clash = (
                Vehicle.objects.for_racer(self.instance.racer)
                .filter(brand=brand, model=model, nickname=nickname)
                .exclude(pk=self.instance.pk)
            )
            if clash.exists():
                name = f"{brand} {model}" + (f" “{nickname}”" if nickname else "")
                raise forms.ValidationError(
                    f"{self.instance.racer.name} already has a {name}. "
                    "Give this one a different nickname to tell them apart."
                )
        return cleaned


class BaselineForm(SetupFieldsMixin, forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        max_length=200, required=False, help_text="What changed and why, e.g. “thicker rear diff for grip”."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_setup_fields()


class RaceDayStartForm(forms.ModelForm):
    vehicle = ModelChoiceField(queryset=Vehicle.objects.none(), empty_label=None)

    class Meta:
        model = RaceDay
        fields = ["vehicle", "track", "date", "surface", "grip", "temperature", "weather"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "temperature": forms.NumberInput(attrs={"step": "0.5"}),
        }
        help_texts = {
            "surface": "e.g. dirt, clay, astro, carpet.",
            "grip": "e.g. low, medium, high, blue groove.",
        }

    def __init__(self, *args: Any, racer: RacerProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["vehicle"]).queryset = Vehicle.objects.for_racer(racer)
        self.fields["date"].initial = timezone.localdate()

    def clean_vehicle(self) -> Vehicle:
        vehicle = self.cleaned_data["vehicle"]
        if RaceDay.objects.open().filter(vehicle=vehicle).exists():
            raise forms.ValidationError(
                f"{vehicle} already has an open race day. Close it before starting another."
            )
        return vehicle


class ParameterSelect(forms.Select):
    """The parameter picker: each option carries its kind, unit and step for the −/+ steppers."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if param := BY_FIELD.get(str(value)):
            option["attrs"].update({"data-kind": param.kind, "data-unit": param.unit})
            if param.step is not None:
                option["attrs"]["data-step"] = str(param.step)
        return option


def parameter_choices(first: list[str]) -> list[Any]:
    """The picker's choices: the racer's recent and common parameters first, then every group."""

    def option(field: str) -> tuple[str, str]:
        param = BY_FIELD[field]
        return param.field, f"{param.label}{f' ({param.unit})' if param.unit else ''}"

    shown = [("Your usual", [option(f) for f in first])] if first else []
    groups = [(label, [option(p.field) for p in params]) for _key, label, params in grouped()]
    return [("", "Choose a parameter"), *shown, *groups]


class RaceDayChangeForm(forms.ModelForm):
    # Declared without choices, which __init__ gives them: a form deep-copies
    # its fields, choices and all, each time it is built (every race-day
    # page), and the model's choices were copied only to be replaced.
    parameter = forms.ChoiceField(label="Parameter", widget=ParameterSelect)
    symptom = forms.ChoiceField(label="To fix", required=False)

    class Meta:
        model = RaceDayChange
        fields = ["parameter", "old_value", "new_value", "status", "reason", "symptom"]
        labels = {"old_value": "Old value", "new_value": "New value", "reason": "Why"}
        widgets = {"status": forms.RadioSelect(attrs={"class": "choice-buttons"})}

    def __init__(self, *args: Any, race_day: RaceDay, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = racer_usual_parameters(race_day.racer)
        cast(forms.ChoiceField, self.fields["parameter"]).choices = parameter_choices(first)
        self.fields["parameter"].widget.attrs["data-parameter-picker"] = ""
        self.fields["old_value"].help_text = "Filled in from the day's current setup."
        self.fields["new_value"].widget.attrs["data-new-value"] = ""
        self.fields["status"].required = False
        self.fields["status"].help_text = "Planned unless you say otherwise."
        symptom = cast(forms.ChoiceField, self.fields["symptom"])
        symptom.choices = [("", "Nothing in particular"), *Symptom.choices]
        symptom.help_text = "What the change is meant to fix: the advisor learns what you keep."

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or RaceDayChange.Status.PLANNED

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        param = BY_FIELD.get(cleaned.get("parameter") or "")
        if param is None:
            return cleaned
        for name in ("old_value", "new_value"):
            text = cleaned.get(name, "")
            try:
                value = param.parse(text)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            cleaned[name] = param.format(value)
        return cleaned


class RaceDayChangeStatusForm(forms.Form):
    status = forms.ChoiceField(choices=RaceDayChange.Status)


class BaselineDiffForm(forms.Form):
    """Which two baseline versions to diff: number boxes, or a select of the versions there are."""

    a = forms.IntegerField(
        label="From version", min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    b = forms.IntegerField(
        label="To version", min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, numbers: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if numbers:
            for name in ("a", "b"):
                label = self.fields[name].label
                self.fields[name] = forms.TypedChoiceField(
                    label=label, coerce=int, choices=[(n, f"v{n}") for n in numbers]
                )


class CompareForm(forms.Form):
    """The two setup pickers: the racer's baselines and race days, and any library setup being compared."""

    a = forms.ChoiceField(label="First setup")
    b = forms.ChoiceField(label="Second setup")

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, list[tuple[str, str]]]],
        library_setups: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        shown = [("Library", list(library_setups.items()))] if library_setups else []
        for name in ("a", "b"):
            cast(forms.ChoiceField, self.fields[name]).choices = [("", "Choose a setup"), *choices, *shown]


class LapTimesField(forms.CharField):
    """Lap times pasted from a timing screen or export, cleaned to a list of seconds (``parse_lap_times``)."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"})

    MAX_LAPS = 500  # a 24-hour race on a short track; more is a paste gone wrong

    def clean(self, value: Any) -> list[Decimal]:
        laps = parse_lap_times(super().clean(value))
        if len(laps) > self.MAX_LAPS:
            raise forms.ValidationError(
                f"{len(laps)} laps is more than one round holds ({self.MAX_LAPS} at most)."
            )
        return laps


class RaceDayRoundForm(forms.ModelForm):
    laps = LapTimesField(
        label="Lap times",
        required=False,
        help_text="Paste them from the timing screen: 32.451 or 1:02.004, separated by commas, spaces or new lines.",
    )

    class Meta:
        model = RaceDayRound
        fields = ["kind", "result", "note"]
        labels = {"kind": "Round"}
        help_texts = {"result": "e.g. “P3, 21 laps, best 32.4 s”."}
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "choice-buttons"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One tap picks the round: no blank choice, practice until told otherwise.
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = RaceDayRound.Kind.choices
        kind.initial = RaceDayRound.Kind.PRACTICE


class TimingImportForm(forms.Form):
    """A timing system's export to read one round's laps from (``racing.timing_import``)."""

    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label="Timing file",
        help_text="A MyLaps Speedhive laps CSV, or a LiveRC lap table saved as CSV. "
        "You are found by your vehicle's or racer's transponder, else by your racer name.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    kind = forms.ChoiceField(label="Round", choices=RaceDayRound.Kind)
    format = forms.ChoiceField(
        required=False, choices=[("", "Tell from the file"), *FORMATS.items()], label="Format"
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is over 2 MB: a timing export of one race is far smaller.")
        self.file_name = upload.name
        return bytes(upload.read())


class LapCompareForm(forms.Form):
    """Two sets of laps to overlay: any round, or a whole race day, of the racer's recent race days."""

    a = forms.ChoiceField(label="First")
    b = forms.ChoiceField(label="Second")

    def __init__(self, *args: Any, race_days: list[RaceDay], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, list[tuple[str, str]]]] = []
        for day in race_days:
            label = f"{day.track} {day.date:%-d %b %Y}, {day.vehicle}"
            rounds = [
                (f"round:{r.pk}", f"{label} · R{n} {r.get_kind_display()}")
                for n, r in enumerate(day.rounds.all(), start=1)
            ]
            choices.append((label, [(f"day:{day.pk}", f"{label} · whole day"), *rounds]))
        for name in ("a", "b"):
            cast(forms.ChoiceField, self.fields[name]).choices = choices


class RaceDayCloseForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything to add to the track-log entry.",
    )


class TrackLogForm(forms.ModelForm):
    class Meta:
        model = TrackLog
        fields = ["timestamp", "track", "vehicle", "event", "note"]
        field_classes = {"vehicle": ModelChoiceField}
        labels = {"timestamp": "When"}
        widgets = {
            "timestamp": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        }

    def __init__(self, *args: Any, racer: RacerProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.racer = racer
        vehicle = cast(ModelChoiceField, self.fields["vehicle"])
        vehicle.queryset = Vehicle.objects.for_racer(racer)
        vehicle.empty_label = "No particular vehicle"
        if not self.instance.pk:
            self.fields["timestamp"].initial = timezone.localtime().replace(second=0, microsecond=0)


class TrackLogFilterForm(forms.Form):
    track = forms.ChoiceField(required=False)
    vehicle = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        racer: RacerProfile,
        tracks: list[str],
        vehicles: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["track"]).choices = [("", "All tracks")] + [
            (t, t) for t in tracks
        ]
        if vehicles is None:
            vehicles = [(v.pk, str(v)) for v in Vehicle.objects.for_racer(racer)]
        cast(forms.ChoiceField, self.fields["vehicle"]).choices = [("", "All vehicles"), *vehicles]
