"""Forms of the account pages: sign-up and the profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest

from . import throttle
from .models import AvatarColour
from .signin import password_check


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional; needed to reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if email:
            self.fields["email"].initial = email


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=100, required=False, help_text="Shown to your teams instead of your username."
    )
    email = forms.EmailField(required=False, help_text="Where password resets are sent.")
    current_password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your email address.",
    )
    avatar_colour = forms.ChoiceField(
        label="Avatar colour", choices=AvatarColour.choices, widget=forms.RadioSelect
    )

    refusal: throttle.Refusal | None = None

    def __init__(self, *args: Any, user: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        """A new email address needs the current password, checked as a sign-in is: the
        address is where password resets go, so whoever held a stolen session could
        otherwise send the account's next reset to themselves."""
        cleaned = super().clean()
        email = cleaned.get("email")
        if email is None or email == self.user.email:
            return cleaned
        attempt = password_check(self.user, self.request)
        self.refusal = attempt.reserve()
        if self.refusal is not None:
            self.add_error("current_password", self.refusal.message("password checks"))
        elif not self.user.check_password(cleaned.get("current_password") or ""):
            # The reserved failure stays counted.
            message = "To change your email address, enter your current password."
            if cleaned.get("current_password"):
                message = "That is not your current password."
            self.add_error("current_password", message)
        else:
            attempt.succeeded()
        return cleaned
