"""`{{ when|ago }}`: how long ago, in words, for the pages' lists ("3 hours ago"), and
"just now" under a minute, where Django's `timesince` alone says "0 minutes"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    if not value:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return "just now"
    return f"{timesince(value)} ago"
