from typing import Any

from django import forms

from advisor import theory
from advisor.models import TheoryDocument, Topic
from racing.setup_params import BY_FIELD, PARAMS
from racing.symptoms import Symptom


class TheoryUploadForm(forms.Form):
    """A Markdown, text or PDF file for the theory library (staff)."""

    file = forms.FileField(
        label="Document",
        help_text="Markdown (.md), plain text (.txt) or PDF, up to 20 MB. "
        "A file with the same name replaces the stored text.",
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,.text,.pdf"}),
    )
    category = forms.ChoiceField(
        label="Topic",
        required=False,
        choices=[("", "Guess from the file name and title"), *Topic.choices],
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > theory.MAX_FILE_BYTES:
            self.add_error("file", f"{upload.name}: larger than 20 MB.")
            return cleaned
        try:
            cleaned["parsed"] = theory.parse(upload.name, upload.read(), category=cleaned.get("category", ""))
        except theory.UnreadableDocument as error:
            self.add_error("file", f"{upload.name}: {error}.")
        return cleaned


class TheorySearchForm(forms.Form):
    q = forms.CharField(
        label="Search the theory",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. traction roll, diff oil"}),
    )
    category = forms.ChoiceField(label="Topic", required=False, choices=[("", "All topics"), *Topic.choices])


class TheoryDocumentAdminForm(forms.ModelForm):
    """The admin's form: upload a file to fill in (or replace) the text, or edit it by hand."""

    upload = forms.FileField(
        required=False,
        help_text="A Markdown, text or PDF file: its text, title and file name replace the fields below.",
    )

    class Meta:
        model = TheoryDocument
        fields = ["upload", "title", "category", "filename", "content", "file_path"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "filename", "content"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("upload")
        if upload is not None:
            try:
                parsed = theory.parse(upload.name, upload.read(), category=cleaned.get("category", ""))
            except theory.UnreadableDocument as error:
                self.add_error("upload", f"{upload.name}: {error}.")
                return cleaned
            cleaned.update(
                title=parsed.title,
                filename=parsed.filename,
                content=parsed.content,
                file_path=f"upload:{upload.name}",
            )
        else:
            for name in ("title", "filename", "content"):
                if not cleaned.get(name):
                    self.add_error(name, "Upload a file or fill this in.")
        content = cleaned.get("content")
        if content:
            cleaned["content"] = theory.clean_text(content)
            self.instance.content_hash = theory.content_hash(cleaned["content"])
            clash = TheoryDocument.objects.filter(content_hash=self.instance.content_hash)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if first := clash.first():
                self.add_error(None, f"This text is already stored as “{first.title}”.")
        return cleaned


class SymptomsField(forms.MultipleChoiceField):
    def to_python(self, value: Any) -> list[str]:
        # "?symptom=" (an empty choice) means nothing ticked, not a bad choice.
        return [item for item in super().to_python(value) if item]


class AdviceForm(forms.Form):
    """What the car does: one or more symptoms."""

    symptom = SymptomsField(
        label="What does the car do?",
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one thing the car does."},
    )


class BaselineAdviceForm(AdviceForm):
    """For a baseline there is no race day: the track and conditions are optional."""

    track = forms.CharField(
        required=False, max_length=120, help_text="Shows what library setups at this track run."
    )
    grip = forms.CharField(required=False, max_length=60, help_text="e.g. high, medium, low.")
    temperature = forms.DecimalField(
        label="Temperature (°C)", required=False, max_digits=4, decimal_places=1, min_value=-30, max_value=60
    )


class TryChangeForm(forms.Form):
    """A suggestion to record as a planned race-day change; the old value comes from the day's setup."""

    parameter = forms.ChoiceField(choices=[(p.field, p.label) for p in PARAMS])
    new_value = forms.CharField(label="New value", max_length=60, required=False)
    symptom = forms.ChoiceField(choices=Symptom.choices)
    reason = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        param = BY_FIELD.get(cleaned.get("parameter") or "")
        if param is None or "new_value" not in cleaned:
            return cleaned
        try:
            value = param.parse(cleaned["new_value"])
        except forms.ValidationError as error:
            self.add_error("new_value", error)
            return cleaned
        if value is None or value == "":
            self.add_error("new_value", f"Type the new {param.label.lower()}.")
            return cleaned
        cleaned["new_value"] = param.format(value)
        cleaned["param"] = param
        return cleaned
