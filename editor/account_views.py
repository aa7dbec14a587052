"""Account pages: sign-up, the profile, and Django's password change and reset views in
the site's templates. Sign-up and reset requests are counted per client IP (throttle.py)
because each one writes a row or sends a mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services, throttle
from .account_forms import ProfileForm, SignUpForm
from .models import COLOUR_HEX, AvatarColour

BACKEND = "django.contrib.auth.backends.ModelBackend"


def throttled(request: HttpRequest, what: str) -> HttpResponse | None:
    """A 429 page when this IP has asked too often, else None (and the request counted)."""
    refusal = throttle.Attempt((throttle.ACCOUNT_IP, throttle.client_ip(request))).reserve()
    if refusal is None:
        return None
    message = f"Too many {what} from your address; try again in {refusal.wait_text()}."
    response = render(request, "registration/throttled.html", {"message": message}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("flow_list")
    if not settings.SIGNUP_ENABLED:
        return render(request, "registration/signup_closed.html", status=403)
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if refused := throttled(request, "sign-ups"):
            return refused
        if form.is_valid():
            user = services.sign_up(form)
            login(request, user, backend=BACKEND)
            messages.success(request, "Welcome! Create a team, or ask an owner to invite you.")
            return redirect("team_list")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = services.profile_of(request.user)
    initial = {
        "display_name": current.display_name,
        "email": request.user.email,
        "avatar_colour": current.avatar_colour,
    }
    form = ProfileForm(request.POST or None, initial=initial, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "current_password"}
        services.update_profile(request.user, **fields)
        messages.success(request, "Profile saved.")
        return redirect("profile")
    palette = [
        {"value": value, "label": label, "hex": COLOUR_HEX[value]}
        for value, label in AvatarColour.choices
    ]
    context = {"form": form, "profile": current, "palette": palette}
    response = render(request, "registration/profile.html", context)
    if form.refusal is not None:
        response.status_code = 429
        response["Retry-After"] = str(form.refusal.retry_after)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if refused := throttled(request, "password reset requests"):
            return refused
        return super().post(request, *args, **kwargs)
