from django import forms
from django.forms import inlineformset_factory

from profiles.models import RacerProfile, Sponsor


class RacerForm(forms.ModelForm):
    class Meta:
        model = RacerProfile
        fields = ["name", "email", "facebook", "instagram", "transponder", "team"]
        widgets = {
            "transponder": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "facebook": forms.TextInput(attrs={"placeholder": "facebook.com/…"}),
            "instagram": forms.TextInput(attrs={"placeholder": "@handle"}),
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the racer a name.")
        return name


class NewRacerForm(forms.Form):
    """The switcher's inline "New racer": just a name."""

    name = forms.CharField(max_length=100)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the racer a name.")
        return name


SponsorFormSet = inlineformset_factory(
    RacerProfile, Sponsor, fields=["name"], extra=2, can_delete=True, max_num=50, validate_max=True
)
