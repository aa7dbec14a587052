"""Signing in with a password, throttled per username and per client IP (throttle.py),
signing out, and changing the password, whose check of the current one shares the count.

The site's login page and the admin's both use these forms, so neither is a way around the
other's limit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView
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


def password_check(user: Any, request: HttpRequest) -> throttle.Attempt:
    """A check of a signed-in user's current password, counted with the sign-in failures
    of their username and the client's IP (reserve() it before checking)."""
    return throttle.Attempt(
        (throttle.USERNAME, user.get_username().casefold()),
        (throttle.SIGN_IN_IP, throttle.client_ip(request)),
    )


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's, with the current password checked as a sign-in is: counted per username
    and client IP with the sign-in failures, refused while they are slowed down or locked
    out. Otherwise whoever holds a stolen session could guess the password here without
    limit, and then change it to keep the account."""

    refusal: throttle.Refusal | None = None

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        attempt = password_check(self.user, self.request)
        self.refusal = attempt.reserve()
        if self.refusal is not None:
            raise forms.ValidationError(self.refusal.message("password checks"), code="throttled")
        old_password = super().clean_old_password()  # a wrong one stays counted
        attempt.succeeded()
        return old_password


class ChangePasswordView(PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: ThrottledPasswordChangeForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.refusal.retry_after)
        return response
