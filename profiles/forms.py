from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import HttpRequest, HttpResponse

from apex.forms import ModelChoiceField
from profiles.models import RacerProfile, ReservedUsername, Sponsor


class RacerForm(forms.ModelForm):
    class Meta:
        model = RacerProfile
        fields = ["name", "email", "facebook", "instagram", "transponder", "team"]
        field_classes = {"team": ModelChoiceField}
        widgets = {
            "transponder": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "facebook": forms.TextInput(attrs={"placeholder": "facebook.com/…"}),
            "instagram": forms.TextInput(attrs={"placeholder": "@handle"}),
        }
        # A name of only spaces arrives stripped, as no name.
        error_messages = {"name": {"required": "Give the racer a name."}}


class NewRacerForm(forms.Form):
    """The switcher's inline "New racer": just a name."""

    name = forms.CharField(
        label="New racer",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Name"}),
        error_messages={"required": "Give the racer a name."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The switcher is on every page, beside the page's own forms: its ids are its own.
        kwargs.setdefault("auto_id", "switcher-new-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BaseSponsorFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["name"].label = "Sponsor" if index is None else f"Sponsor {index + 1}"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"


SponsorFormSet: "type[BaseInlineFormSet[Sponsor, RacerProfile, forms.ModelForm[Sponsor]]]" = (
    inlineformset_factory(
        RacerProfile,
        Sponsor,
        formset=BaseSponsorFormSet,
        fields=["name"],
        extra=2,
        can_delete=True,
        can_delete_extra=False,  # only a saved sponsor can be removed
        max_num=50,
        validate_max=True,
    )
)


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form in Apex's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail"
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form in Apex's words, saying what happens to the address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "E-mail"
        email.help_text = "We e-mail you a link to confirm it before your first log-in."
        email.widget.attrs["placeholder"] = "E-mail address"

    def clean_username(self) -> str:
        username: str = super().clean_username()
        if username and ReservedUsername.objects.filter(username__iexact=username).exists():
            raise get_adapter().validation_error("username_taken")  # the words of a taken username
        return username

    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponse | None]:
        if self.account_already_exists:
            # A new account costs a password hash, a good part of a second:
            # spend it here too, so the time the answer takes does not tell a
            # taken address from a new one (as Django's log-in does for an
            # unknown username).
            make_password(self.cleaned_data.get("password1"))
            # A new address would have taken the username: hold it the same way.
            username = self.cleaned_data.get("username")
            if username:
                with transaction.atomic():
                    ReservedUsername.objects.get_or_create(
                        username__iexact=username, defaults={"username": username}
                    )
        return super().try_save(request)
