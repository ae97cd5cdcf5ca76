from django import forms

from sims.models import SimProfile, Simulator, identifier_validator


def _active_simulators():
    return Simulator.objects.filter(is_active=True)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label="Search drivers", required=False, max_length=100, strip=True)
    sim = forms.ModelChoiceField(
        label="Simulator",
        queryset=Simulator.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All simulators",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": "Name, ID or username", "autocomplete": "off"}
        )

    def cleaned_or_empty(self) -> dict:
        """Filters to apply; a bad simulator or an over-long query just means no filter."""
        if self.is_valid():
            return self.cleaned_data
        return {"q": "", "sim": None}


class ClaimSearchForm(forms.Form):
    q = forms.CharField(label="Find your profile", required=False, max_length=100, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": "Your driver name or ID", "autocomplete": "off"}
        )


class SimProfileAddForm(forms.Form):
    simulator = forms.ModelChoiceField(queryset=Simulator.objects.none(), empty_label="Choose a simulator")
    profile_identifier = forms.CharField(
        label="Your ID on the simulator",
        max_length=SimProfile._meta.get_field("profile_identifier").max_length,
        validators=[identifier_validator],
        help_text="The platform's own ID, e.g. your iRacing customer ID.",
    )
    profile_name = forms.CharField(label="Driver name", max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["simulator"].queryset = _active_simulators()
        self.fields["profile_identifier"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "none"}
        )

    def clean_profile_name(self) -> str:
        name = self.cleaned_data["profile_name"].strip()
        if not name:
            raise forms.ValidationError("Give the driver name shown on the simulator.")
        return name


class VisibilityForm(forms.Form):
    is_public = forms.BooleanField(required=False)
