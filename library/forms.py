from collections.abc import Callable
from functools import cache, partial
from typing import Any, cast

from django import forms

from apex.forms import ModelChoiceField
from library.models import LibrarySetup
from profiles.models import RacerProfile
from racing.forms import SetupFieldsMixin
from racing.models import Vehicle
from racing.setup_params import PARAMS


class LibrarySetupForm(SetupFieldsMixin, forms.ModelForm):
    class Meta:
        model = LibrarySetup
        fields = ["track", "brand", "vehicle", "condition", "date", "source"]
        # A date input only takes ISO dates; the en-GB default (dd/mm/yyyy) would show it blank.
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "vehicle": "The model, e.g. “MBX8R”.",
            "condition": "e.g. “dry blue groove”, “wet”, “loose”.",
            "source": "Where the setup came from, e.g. a team driver or a published sheet.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The parameters are not in Meta.fields: the shared definitions add
        # them (the widgets and messages of every setup form) and save()
        # copies them onto the setup.
        self.add_setup_fields()
        if self.instance.pk:
            for param in PARAMS:
                self.initial.setdefault(param.field, getattr(self.instance, param.field))

    def place_fields(self) -> list[forms.BoundField]:
        """Where and what: the fields before the setup parameters."""
        return [self[name] for name in self.Meta.fields]

    def save(self, commit: bool = True) -> LibrarySetup:
        for name, value in self.setup_values().items():
            setattr(self.instance, name, value)
        return super().save(commit=commit)


class _ChosenText(forms.CharField):
    """Text picked from a select: its length is still checked, but a select has no maxlength attribute."""

    widget = forms.Select

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class LibrarySearchForm(forms.Form):
    """The library's search box and filter selects (the URL keeps them)."""

    FILTERS = ("track", "brand", "vehicle", "condition")

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Track, brand, vehicle, condition…",
                "autocomplete": "off",
            }
        ),
    )
    track = _ChosenText(required=False, max_length=120)
    brand = _ChosenText(required=False, max_length=60)
    vehicle = _ChosenText(required=False, max_length=100)
    condition = _ChosenText(required=False, max_length=60)

    def __init__(self, *args: Any, filter_choices: Callable[[], dict[str, list[str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = cache(filter_choices)
        for name in self.FILTERS:
            # A callable: the values are looked up only when a select renders
            # (the htmx results fragment has none).
            self.fields[name].widget.choices = partial(self._options, name, choices)

    def _options(self, name: str, choices: Callable[[], dict[str, list[str]]]) -> list[tuple[str, str]]:
        values = choices()[name]
        chosen = self.data.get(name, "")
        # A filter typed into the URL in another case still shows as chosen.
        extra = [chosen] if chosen and chosen not in values else []
        return [("", f"Any {name}"), *((v, v) for v in [*extra, *values])]

    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FILTERS]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in self.FILTERS}

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class UseAsBaselineForm(forms.Form):
    vehicle = ModelChoiceField(queryset=Vehicle.objects.none(), empty_label=None, label="Into vehicle")

    def __init__(self, *args: Any, racer: RacerProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["vehicle"]).queryset = Vehicle.objects.for_racer(racer)
