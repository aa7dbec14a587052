"""A team's Twilio connection, on the team page: owners set it (checked with Twilio when
saved, editor/services/connections.py) and remove it; other members see which account it
is, never its secrets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .access import membership_for, require_owner
from .team_forms import TwilioConnectionForm
from .team_views import team_context


@login_required
@require_POST
@never_cache
def twilio_connect(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_owner(membership)
    form = TwilioConnectionForm(request.POST)
    if form.is_valid():
        given = services.Credentials(**form.cleaned_data)
        try:
            connection = services.connect_twilio(membership.team, given, request.user)
        except services.ConnectionRefused as exc:
            form.add_error(None, str(exc))
        else:
            name = f" ({connection.friendly_name})" if connection.friendly_name else ""
            messages.success(request, f"Connected to {connection.account_sid}{name}.")
            return redirect("team_detail", slug=slug)
    context = {**team_context(membership), "twilio_form": form}
    return render(request, "teams/team_detail.html", context, status=400)


@login_required
@require_POST
def twilio_disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    require_owner(membership)
    if services.disconnect_twilio(membership.team):
        messages.success(
            request, "Disconnected from Twilio. Webhooks are refused; flows run simulated."
        )
    return redirect("team_detail", slug=slug)
