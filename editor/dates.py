"""How a date and time is written for people: Django's DATETIME_FORMAT in the site's time
zone (settings.TIME_ZONE), as the pages' `{{ value|date:"DATETIME_FORMAT" }}` writes it.
The canvas shows the text the server wrote with this (the Revisions panel, from
editor/api/editor.py's revision_json), so a revision's date reads the same on the canvas
and in the flow page's Revisions table (templates/editor/flow_detail.html); the executions
list (templates/editor/execution_list.html) writes its dates the same way."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone


def datetime_text(value: datetime) -> str:
    """In the site's time zone: "Dec. 1, 2026, 2:05 p.m." in en-us."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
