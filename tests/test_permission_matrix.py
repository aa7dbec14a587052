"""The permission matrix: every URL pattern, for GET, POST and DELETE, for the owner, the
editor, the viewer, the outsider, nobody, and API keys of the team and of another one.

The table is tests/matrix_routes.py; it must name every pattern the URL confs route (a new
one fails `test_every_url_pattern_is_in_the_table` until it is classified). Each case checks
the status, that a 403 is the code's refusal and not CSRF's, and the database: a read or a
refusal leaves every row as it was, a write that succeeds changes something.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from .matrix_routes import EXCLUDED, ROUTES
from .matrix_rules import LOGIN, METHODS, V2, Route
from .matrix_world import (
    PERSONAS,
    World,
    build_world,
    differences,
    primary_keys,
    remove_rows_since,
    snapshot,
    visitor,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    """The table's key of every pattern: `namespace:name`, or the route of an unnamed one;
    a whole include is one key when its namespace is excluded."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            if entry.namespace in EXCLUDED:
                yield entry.namespace
            else:
                yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or str(entry.pattern)
            yield f"{namespace}:{name}" if namespace and entry.name else name


def test_every_url_pattern_is_in_the_table():
    found = list(url_patterns(get_resolver()))

    unclassified = sorted(set(found) - set(ROUTES) - set(EXCLUDED))
    gone = sorted(set(ROUTES) - set(found))
    assert not unclassified, f"add these to tests/matrix_routes.py ROUTES: {unclassified}"
    assert not gone, f"the table names patterns that no longer exist: {gone}"
    assert set(EXCLUDED) <= set(found), "an exclusion names nothing"
    assert len(found) == len(set(found)), "two patterns share a name"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once and committed; each case runs in a transaction rolled back after it, so
    every case starts from the same rows."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        before = primary_keys()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        remove_rows_since(before)


def url_of(name: str, kwargs: dict[str, str]) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return f"/{name}"  # an unnamed pattern's key is its route


def test_the_tables_arguments_lead_to_the_patterns_they_are_for(world, db):
    for name, route in ROUTES.items():
        for kwargs in filter(None, [route.args(world), route.mixed and route.mixed(world)]):
            match = resolve(url_of(name, kwargs))
            assert (match.view_name if match.url_name else str(match.route)) == name


def send(client: Any, method: str, url: str, route: Route, body: dict[str, Any]) -> Any:
    """The request a browser, the canvas or an SDK would make; PUT and PATCH carry the
    POST's body, so that a view taking them for a POST would be caught writing."""
    if method not in ("POST", "PUT", "PATCH"):
        return client.generic(method, url)
    if route.surface.encoding == "json":
        return client.generic(method, url, json.dumps(body), "application/json")
    if route.surface.encoding == "urlencoded" or method != "POST":
        form = urlencode(body, doseq=True)
        return client.generic(method, url, form, "application/x-www-form-urlencoded")
    return client.post(url, body)


def status_of(response: Any) -> int | str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("login") + "?next="):
        return LOGIN
    return response.status_code


SID = re.compile(r"([A-Z]{2})[0-9a-f]{32}")
OUTSIDERS = ("outsider", "outsider_key")


def ghost(name: str, kwargs: dict[str, str]) -> str:
    """The same URL naming nothing: its SIDs zeroed, its team one that does not exist. An
    outsider must not be able to tell the two apart. (A token is kept: it is a credential,
    and whoever holds an invitation's may use it.)"""
    named = {k: SID.sub(r"\g<1>" + "0" * 32, v) for k, v in kwargs.items()}
    if "slug" in named:
        named["slug"] = "no-such-team"
    return url_of(name, named)


def answer(world: World, name: str, method: str, persona: str, url: str) -> Any:
    route = ROUTES[name]
    username = world.users[persona].username if persona in world.users else ""
    return send(visitor(world, persona), method, url, route, route.body(world, username))


def check(world: World, name: str, method: str, persona: str) -> None:
    route = ROUTES[name]
    expected = route.expect(method, persona)
    kwargs = route.args(world)
    url = url_of(name, kwargs)
    before = snapshot()

    response = answer(world, name, method, persona, url)

    where = f"{method} {url} as {persona}"
    got = status_of(response)
    assert got == expected.status, (
        f"{where}: {got}, not {expected.status}: {response.content[:400]}"
    )
    if got == 403:
        assert b"CSRF" not in response.content, f"{where} was refused by the CSRF check"
    if got == 401:
        # The Studio API challenges (SDKs retry with credentials); the canvas's must not.
        challenge = response.get("WWW-Authenticate")
        assert challenge == ('Basic realm="Twilio API"' if route.surface is V2 else None), where
    changed = differences(before, snapshot())
    if expected.changes:
        assert changed, f"{where} answered {got} but changed nothing"
    else:
        assert not changed, f"{where} answered {got} and changed {changed}"
    if persona in OUTSIDERS and ghost(name, kwargs) != url:
        nothing = answer(world, name, method, persona, ghost(name, kwargs))
        assert status_of(nothing) == got, f"{where}: {got}, but {status_of(nothing)} for nothing"


CASES = [(name, method, persona) for name in ROUTES for method in METHODS for persona in PERSONAS]


@pytest.mark.parametrize("name,method,persona", CASES, ids=[f"{n} {m} {p}" for n, m, p in CASES])
def test_the_matrix(world, db, name, method, persona):
    check(world, name, method, persona)


OTHER_METHODS = ("OPTIONS", "PUT", "PATCH")
OTHERS = [(name, method) for name in ROUTES for method in OTHER_METHODS]


@pytest.mark.parametrize("name,method", OTHERS, ids=[f"{n} {m}" for n, m in OTHERS])
def test_other_methods_change_nothing_fail_nowhere_and_tell_an_outsider_nothing(
    world, db, name, method
):
    kwargs = ROUTES[name].args(world)
    url = url_of(name, kwargs)
    before = snapshot()

    for persona in PERSONAS:
        response = answer(world, name, method, persona, url)
        where = f"{method} {url} as {persona}"
        assert response.status_code < 500, f"{where}: {response.status_code}"
        if persona in OUTSIDERS and ghost(name, kwargs) != url:
            nothing = answer(world, name, method, persona, ghost(name, kwargs))
            assert nothing.status_code == response.status_code, where

    assert not differences(before, snapshot()), f"{method} {url} changed the database"


MIXED = [
    (name, method, persona)
    for name, route in ROUTES.items()
    if route.mixed
    for method in route.methods
    for persona in (("outsider", "outsider_key") if route.surface is V2 else ("outsider",))
]


@pytest.mark.parametrize("name,method,persona", MIXED, ids=[f"{n} {m} {p}" for n, m, p in MIXED])
def test_an_outsider_cannot_reach_acmes_objects_under_his_own(world, db, name, method, persona):
    """dave's own team, flow or execution in the path, one of Acme's objects under it: 404."""
    route = ROUTES[name]
    url = url_of(name, route.mixed(world))
    before = snapshot()

    response = answer(world, name, method, persona, url)

    assert response.status_code == 404, f"{method} {url}: {response.status_code}"
    assert not differences(before, snapshot())
