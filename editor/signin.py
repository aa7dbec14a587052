"""Signing in with a password, throttled per username and per client IP (throttle.py), and
signing out.

The site's login page and the admin's both use these forms, so neither is a way around the
other's limit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse

from . import throttle


class ThrottledSignIn:
    """Mixed into Django's AuthenticationForm: refuse before checking the password while the
    username or the IP is slowed down or locked out; count every failure."""

    refusal: throttle.Refusal | None = None

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return super().clean()  # type: ignore[misc]
        attempt = throttle.Attempt(
            (throttle.USERNAME, username.casefold()),
            (throttle.SIGN_IN_IP, throttle.client_ip(self.request)),  # type: ignore[attr-defined]
        )
        self.refusal = attempt.reserve()
        if self.refusal is not None:
            raise forms.ValidationError(self.refusal.message("sign-ins"), code="throttled")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if self.user_cache is not None:  # type: ignore[attr-defined]
                # The password was right; the account is refused for another reason
                # (inactive, or not staff on the admin's form).
                attempt.succeeded()
            raise
        attempt.succeeded()
        return cleaned


class SignInForm(ThrottledSignIn, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    pass


class SignInView(LoginView):
    authentication_form = SignInForm

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.refusal.retry_after)
        return response


class SignOutView(LogoutView):
    """Django's, and the sign-in page it leads to says it happened."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response
