"""Forms of the team pages and of copying or moving a flow. Teams are chosen by slug and
members by their user SID, never by primary key."""

from __future__ import annotations

from typing import Any

from django import forms

from .form_tokens import form_token_field
from .forms import TeamChoiceField
from .models import Role


class TeamNameForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=100,
        error_messages={
            "required": "Give the team a name.",
            "max_length": "A team's name is at most 100 characters.",
        },
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class RemoveMemberForm(forms.Form):
    revoke_keys = forms.BooleanField(required=False)


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)
    email = forms.EmailField(
        required=False,
        help_text="The link is also mailed there. Anyone with the link can use it, once.",
    )
    form_token = form_token_field()


class ApiKeyForm(forms.Form):
    friendly_name = forms.CharField(
        label="Name",
        max_length=64,
        required=False,
        help_text="What the key is for.",
        error_messages={"max_length": "A key's name is at most 64 characters."},
    )
    form_token = form_token_field()


class TransferForm(forms.Form):
    member = forms.ChoiceField(label="New owner")

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members


class FlowTeamForm(forms.Form):
    """Copy or move: the teams offered are the ones the user edits."""

    team = TeamChoiceField(queryset=None, to_field_name="slug", empty_label=None)
    friendly_name = forms.CharField(label="Name of the copy", max_length=200, required=False)

    def __init__(self, *args: Any, teams: Any, copy: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not copy:
            del self.fields["friendly_name"]


class TwilioConnectionForm(forms.Form):
    """A team's Twilio account; secrets left blank keep the stored ones (never shown)."""

    account_sid = forms.RegexField(
        label="Account SID",
        regex=r"^AC[0-9a-fA-F]{32}$",
        error_messages={"invalid": "An Account SID is AC followed by 32 hexadecimal digits."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    auth_token = forms.CharField(
        label="Auth token",
        max_length=128,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Verifies Twilio's webhook signatures. Needed for inbound messages and calls.",
    )
    api_key_sid = forms.RegexField(
        label="API key SID",
        regex=r"^SK[0-9a-fA-F]{32}$",
        required=False,
        error_messages={"invalid": "An API key SID is SK followed by 32 hexadecimal digits."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="REST calls then use the key instead of the auth token.",
    )
    api_key_secret = forms.CharField(
        label="API key secret",
        max_length=128,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
