from django import forms

from library.models import LibrarySetup
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ModelForm built the parameter fields from the model; use the shared
        # definitions so widgets and messages match every other setup form.
        self.add_setup_fields()
        for param in PARAMS:
            if self.instance.pk:
                self.initial.setdefault(param.field, getattr(self.instance, param.field))

    def save(self, commit: bool = True) -> LibrarySetup:
        for name, value in self.setup_values().items():
            setattr(self.instance, name, value)
        return super().save(commit=commit)


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Track, brand, vehicle…"}),
    )
    track = forms.CharField(required=False, max_length=120)
    brand = forms.CharField(required=False, max_length=60)
    vehicle = forms.CharField(required=False, max_length=100)
    condition = forms.CharField(required=False, max_length=60)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("track", "brand", "vehicle", "condition")}

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class UseAsBaselineForm(forms.Form):
    vehicle = forms.ModelChoiceField(queryset=Vehicle.objects.none(), empty_label=None, label="Into vehicle")

    def __init__(self, *args, racer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = Vehicle.objects.for_racer(racer)
