"""Settings: the production environment passes Django's deploy check; no environment at all
is still the embedded default that scripts/run serves over plain http://127.0.0.1."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_SHOWN = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "SECRET_KEY_FALLBACKS",
]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n, None) for n in {SETTINGS_SHOWN!r}}}))"
)


def bare_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """Only what a process needs to start: none of the settings' variables leak in."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "studio_clone.settings",
        "DATA_DIR": str(tmp_path / "data"),
        **variables,
    }


def production_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    return bare_env(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS="true",
        ALLOWED_HOSTS="studio.example.com",
        **variables,
    )


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def shown_settings(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_passes_the_deploy_check_with_the_production_environment(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_passes_with_both_hsts_extensions_asked_for_too(tmp_path):
    env = production_env(tmp_path, HSTS_INCLUDE_SUBDOMAINS="true", HSTS_PRELOAD="true")

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 silenced)" in result.stdout


def test_without_https_the_deploy_check_names_what_is_missing(tmp_path):
    env = production_env(tmp_path)
    del env["HTTPS"]

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    for check in ("security.W004", "security.W008"):
        assert check in result.stderr


def test_https_turns_on_redirects_hsts_and_secure_cookies(tmp_path):
    shown = shown_settings(
        production_env(
            tmp_path,
            PROXY_SSL_HEADER="X-Forwarded-Proto",
            CSRF_TRUSTED_ORIGINS="https://studio.example.com",
            SECRET_KEY_FALLBACKS="an-old-key",
        )
    )

    assert shown["DEBUG"] is False
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert shown["SECURE_HSTS_PRELOAD"] is False
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["CSRF_TRUSTED_ORIGINS"] == ["https://studio.example.com"]
    assert shown["SECRET_KEY_FALLBACKS"] == ["an-old-key"]


def test_the_proxy_header_is_trusted_only_when_named(tmp_path):
    assert shown_settings(production_env(tmp_path))["SECURE_PROXY_SSL_HEADER"] is None


def test_hsts_can_start_short(tmp_path):
    shown = shown_settings(production_env(tmp_path, HSTS_SECONDS="300"))

    assert shown["SECURE_HSTS_SECONDS"] == 300


def test_the_embedded_default_serves_plain_http(tmp_path):
    shown = shown_settings(bare_env(tmp_path))

    assert shown["DEBUG"] is True
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0
    assert shown["SESSION_COOKIE_SECURE"] is False
    assert shown["CSRF_COOKIE_SECURE"] is False
    assert shown["SECURE_PROXY_SSL_HEADER"] is None


def test_the_embedded_default_passes_the_system_check(tmp_path):
    result = manage(bare_env(tmp_path), "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = manage(env, "check")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
