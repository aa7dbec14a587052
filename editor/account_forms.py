"""Forms of the account pages: sign-up and the profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import AvatarColour


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
    avatar_colour = forms.ChoiceField(
        label="Avatar colour", choices=AvatarColour.choices, widget=forms.RadioSelect
    )
