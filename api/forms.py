from django import forms

from api.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        help_texts = {
            "name": "What uses it, e.g. “timing laptop” or “club results”.",
            "scope": "Read lets a tool see your data; read and write also lets it record race days and baselines.",
        }
