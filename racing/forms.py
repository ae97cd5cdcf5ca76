from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils import timezone

from profiles.models import RacerProfile
from racing.models import RaceDay, RaceDayChange, RaceDayRound, TrackLog, Vehicle
from racing.setup_params import BY_FIELD, PARAMS, Value, grouped
from racing.symptoms import Symptom


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
    vehicle = forms.ModelChoiceField(queryset=Vehicle.objects.none(), empty_label=None)

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
        cast(forms.ModelChoiceField, self.fields["vehicle"]).queryset = Vehicle.objects.for_racer(racer)
        self.fields["date"].initial = timezone.localdate()

    def clean_vehicle(self) -> Vehicle:
        vehicle = self.cleaned_data["vehicle"]
        if RaceDay.objects.open().filter(vehicle=vehicle).exists():
            raise forms.ValidationError(
                f"{vehicle} already has an open race day. Close it before starting another."
            )
        return vehicle


class RaceDayChangeForm(forms.ModelForm):
    class Meta:
        model = RaceDayChange
        fields = ["parameter", "old_value", "new_value", "reason", "symptom", "status"]
        labels = {"old_value": "Old value", "new_value": "New value", "reason": "Why", "symptom": "To fix"}

    def __init__(self, *args: Any, race_day: RaceDay, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parameter"]).choices = [("", "Choose a parameter")] + [
            (label, [(p.field, f"{p.label}{f' ({p.unit})' if p.unit else ''}") for p in params])
            for _key, label, params in grouped()
        ]
        self.fields["old_value"].help_text = "Filled in from the day's current setup."
        symptom = cast(forms.ChoiceField, self.fields["symptom"])
        symptom.choices = [("", "Nothing in particular"), *Symptom.choices]
        symptom.help_text = "What the change is meant to fix: the advisor learns what you keep."
        # Choosing a parameter fills in its current value (htmx; without JS
        # the "Fill in the old value" button does the same by GET).
        self.fields["parameter"].widget.attrs.update(
            {
                "hx-get": reverse("raceday_change_old_value", args=[race_day.pk]),
                "hx-trigger": "change",
                "hx-target": "#old-value-row",
                "hx-swap": "outerHTML",
            }
        )

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


class RaceDayRoundForm(forms.ModelForm):
    class Meta:
        model = RaceDayRound
        fields = ["kind", "result", "note"]
        labels = {"kind": "Round"}
        help_texts = {"result": "e.g. “P3, 21 laps, best 32.4 s”."}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


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
        labels = {"timestamp": "When"}
        widgets = {
            "timestamp": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        }

    def __init__(self, *args: Any, racer: RacerProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.racer = racer
        vehicle = cast(forms.ModelChoiceField, self.fields["vehicle"])
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
