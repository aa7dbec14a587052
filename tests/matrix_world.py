"""The permission matrix's world and its visitors.

Acme holds one of everything a URL can name: a published flow with a test execution waiting
for a reply (one step taken), a member to change, an API key to revoke and a pending
invitation. Globex is dave's (the outsider's own team, flow and execution, so that he can
try reaching Acme's objects through his own). Initech is a second team that alice and bob
edit, so that a flow has somewhere to move to.

Personas (tests/conftest.py): alice owns Acme, bob edits it, carol views it, dave is in
Globex only. Two more visitors sign requests with an API key (HTTP Basic), which acts for
its one team as an editor (editor/access.py, Principal.role_in): `key` holds Acme's,
`outsider_key` Globex's. `anonymous` brings nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client

from editor import services
from editor.models import ApiKey, Execution, Flow, FlowTestCase, Invitation, Role, Team
from editor.samples import load_sample
from editor.services import test_runs, testcases

SESSION = {"owner": "alice", "editor": "bob", "viewer": "carol", "outsider": "dave"}
KEYS = ("key", "outsider_key")
PERSONAS = (*SESSION, "anonymous", *KEYS)
# What a browser holds after loading any page; sent back in the header on every write, so
# that a refusal is never the CSRF check's.
CSRF = "matrixcsrftokenmatrixcsrftoken12"

# Rows that requests legitimately write whatever they are refused: sessions (signing in),
# failed sign-in counts (editor/throttle.py), a key's last use (editor/api/auth.py) and a
# user's last sign-in. Everything else must stay as it was unless a write succeeded.
VOLATILE_MODELS = {"sessions.session", "editor.auththrottle"}
VOLATILE_FIELDS = {"editor.apikey": {"last_used"}, "auth.user": {"last_login"}}


@dataclass
class World:
    acme: Team
    globex: Team
    initech: Team
    users: dict[str, Any]
    flow: Flow
    execution: Execution
    step_sid: str
    test_case: FlowTestCase
    globex_flow: Flow
    globex_execution: Execution
    revocable_key: ApiKey
    invitation: Invitation
    invitation_token: str
    secrets: dict[str, tuple[str, str]] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)

    def member_sid(self, persona: str) -> str:
        return self.users[persona].profile.sid


TEST_CASE = "name: Menu\ntrigger: {type: incomingMessage}\nexpect: {path: [menu]}\n"


def started_test_run(flow: Flow, user: Any, trigger: str = "message") -> Execution:
    start = test_runs.TestStart(trigger=trigger, body="Hi")
    return test_runs.start_test_run(flow, start, user).execution


def build_world() -> World:
    acme = services.ensure_team("acme", "Acme")
    globex = services.ensure_team("globex", "Globex")
    initech = services.ensure_team("initech", "Initech")
    users = {}
    for persona, username in SESSION.items():
        users[persona] = services.ensure_user(username, password=f"{username}-password")
    for team, persona, role in [
        (acme, "owner", Role.OWNER),
        (acme, "editor", Role.EDITOR),
        (acme, "viewer", Role.VIEWER),
        (globex, "outsider", Role.OWNER),
        (initech, "owner", Role.OWNER),
        (initech, "editor", Role.EDITOR),
    ]:
        services.add_member(team, users[persona], role)
    flow = services.create_flow(
        acme,
        friendly_name="Bot",
        definition=load_sample("sms-chatbot"),
        status="published",
        author=users["owner"],
    )
    execution = started_test_run(flow, users["owner"])
    # An edit since the latest revision, so that save, publish and restore each have
    # something to record (one that changes nothing makes no revision).
    move = {"op": "move_widgets", "offsets": {"menu": {"x": 1, "y": 2}}}
    services.apply_edit(flow, base_version=flow.version, ops=[move], user=None)
    flow.refresh_from_db()
    globex_flow = services.create_flow(
        globex,
        friendly_name="Globex bot",
        definition=load_sample("sms-chatbot"),
        status="published",
    )
    key, key_secret = services.create_api_key(acme, created_by=users["owner"])
    other_key, other_secret = services.create_api_key(globex, created_by=users["outsider"])
    revocable, _ = services.create_api_key(acme, friendly_name="old", created_by=users["owner"])
    invitation, token = services.create_invitation(
        acme, role=Role.VIEWER, created_by=users["owner"]
    )
    return World(
        acme=acme,
        globex=globex,
        initech=initech,
        users=users,
        flow=flow,
        execution=execution,
        step_sid=execution.steps.get().sid,
        test_case=testcases.create_case(flow, TEST_CASE, users["owner"]),
        globex_flow=globex_flow,
        globex_execution=started_test_run(globex_flow, users["outsider"]),
        revocable_key=revocable,
        invitation=invitation,
        invitation_token=token,
        secrets={"key": (key.sid, key_secret), "outsider_key": (other_key.sid, other_secret)},
        sessions={persona: signed_in(user) for persona, user in users.items()},
    )


def signed_in(user: Any) -> str:
    """A session key for the user: made once with the world, so that each case's browser
    only carries the cookie (signing in for each of a thousand cases would double the run)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def visitor(world: World, persona: str) -> Client:
    """A browser (CSRF checked, its token at hand) signed in as the persona, or a client
    signing every request with the persona's API key, or nobody."""
    headers = {"X-CSRFToken": CSRF}
    if persona in KEYS:
        sid, secret = world.secrets[persona]
        token = base64.b64encode(f"{sid}:{secret}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    client = Client(enforce_csrf_checks=True, headers=headers)
    client.cookies["csrftoken"] = CSRF
    if persona in SESSION:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but the volatile ones, to compare before and after. Raw
    SQL, so that nothing is decoded: the matrix takes two snapshots per case."""
    rows = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in VOLATILE_MODELS:
                continue
            skip = VOLATILE_FIELDS.get(label, set())
            columns = [f.column for f in model._meta.concrete_fields if f.name not in skip]
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            names = ", ".join(map(quote, columns))
            # Every name comes from the models, quoted: no input reaches this query.
            cursor.execute(f"SELECT {names} FROM {table} ORDER BY {pk}")  # noqa: S608
            rows[label] = cursor.fetchall()
    return rows


def differences(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def primary_keys() -> dict[Any, set]:
    return {model: set(model.objects.values_list("pk", flat=True)) for model in apps.get_models()}


def remove_rows_since(before: dict[Any, set]) -> None:
    """Delete what the world added (teams and users first: their rows cascade)."""
    for label in ("editor.team", "auth.user"):
        model = apps.get_model(label)
        model.objects.exclude(pk__in=before[model]).delete()
    for model, keys in before.items():
        model.objects.exclude(pk__in=keys).delete()
