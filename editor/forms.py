"""Forms of the server-rendered pages. Teams are chosen by slug, never by primary key."""

from __future__ import annotations

from typing import Any

from django import forms

from .api.limits import max_request_bytes, over_label, size_label
from .flowspec.studio_json import new_document
from .samples import BY_SLUG, SAMPLES, load_sample

BLANK = "blank"


def template_choices() -> list[tuple[str, str]]:
    return [(BLANK, "Blank flow"), *((s.slug, s.title) for s in SAMPLES)]


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.slug})"


class TeamFormMixin:
    """The team chooser offers only the teams the user may edit."""

    def set_teams(self, teams: Any) -> None:
        field = self.fields["team"]  # type: ignore[attr-defined]
        field.queryset = teams
        if len(teams) == 1:
            field.initial = teams[0].slug


class NewFlowForm(TeamFormMixin, forms.Form):
    friendly_name = forms.CharField(label="Name", max_length=200)
    team = TeamChoiceField(queryset=None, to_field_name="slug", empty_label=None)
    template = forms.ChoiceField(label="Start from", choices=template_choices, initial=BLANK)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_teams(teams)

    def definition(self) -> dict[str, Any]:
        slug = self.cleaned_data["template"]
        if slug == BLANK:
            return new_document(self.cleaned_data["friendly_name"])
        return load_sample(slug)

    def commit_message(self) -> str:
        slug = self.cleaned_data["template"]
        if slug == BLANK:
            return "Created"
        return f"Created from the {BY_SLUG[slug].title} sample"


class ImportFlowForm(TeamFormMixin, forms.Form):
    # The limit is stated, and checked by static/editor/import.js before anything is sent,
    # because a request over it is refused before the form sees it (api/limits.py).
    file = forms.FileField(
        label="Upload a file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    text = forms.CharField(
        label="Or paste the flow JSON",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "code"}),
    )
    team = TeamChoiceField(queryset=None, to_field_name="slug", empty_label=None)
    friendly_name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Leave blank to use a REST API Flow resource's name or the flow's description.",
    )
    # Set only by the "Import anyway as an invalid draft" button.
    allow_problems = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_teams(teams)
        self.fields["file"].help_text = f"A .json file, up to {self.size_limit}."
        self.fields["file"].widget.attrs.update(
            {"data-max-bytes": str(max_request_bytes()), "data-max-label": self.size_limit}
        )

    @property
    def size_limit(self) -> str:
        return size_label(max_request_bytes())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        text = data.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste JSON, not both.")
        if upload:
            limit = max_request_bytes()
            if upload.size > limit:
                size = over_label(upload.size, limit)
                raise forms.ValidationError(
                    f"The file is {size}; the limit is {size_label(limit)}."
                )
            data["source"] = upload.read()
        elif text.strip():
            data["source"] = text
        else:
            raise forms.ValidationError("Choose a file to upload or paste the flow's JSON.")
        return data


def source_as_text(source: str | bytes) -> str | None:
    """Uploaded bytes as text for the retry form; None when they are not UTF-8."""
    if isinstance(source, str):
        return source
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
