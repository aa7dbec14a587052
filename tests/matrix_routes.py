"""The permission matrix's table: every URL pattern of studio_clone/urls.py, how to fill its
arguments from the world (tests/matrix_world.py), and what each persona gets for GET, POST
and DELETE (in the terms of tests/matrix_rules.py); a method a route does not list must be
refused as not allowed (405, after the surface's sign-in check). tests/test_permission_matrix.py
fails when a pattern is missing from here, so a new endpoint cannot be left out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from editor.samples import load_sample

from .matrix_rules import (
    CANVAS,
    CANVAS_KEYS,
    METHODS,
    OPEN,
    PAGE,
    PUBLIC,
    V2,
    Route,
    did,
    editors,
    everyone,
    members,
    owners,
    roles,
    signed_in,
)
from .matrix_world import World


# Arguments, from the world.
def flow(w: World) -> dict[str, str]:
    return {"sid": w.flow.sid}


def revision(w: World) -> dict[str, str]:
    return {"sid": w.flow.sid, "revision": "1"}


def execution(w: World) -> dict[str, str]:
    return {"sid": w.flow.sid, "execution_sid": w.execution.sid}


def execution_mixed(w: World) -> dict[str, str]:
    return {"sid": w.globex_flow.sid, "execution_sid": w.execution.sid}


def step(w: World) -> dict[str, str]:
    return {**execution(w), "step_sid": w.step_sid}


def step_mixed(w: World) -> dict[str, str]:
    own = {"sid": w.globex_flow.sid, "execution_sid": w.globex_execution.sid}
    return {**own, "step_sid": w.step_sid}


def test_case(w: World) -> dict[str, str]:
    return {"sid": w.flow.sid, "case_id": str(w.test_case.pk)}


def test_case_mixed(w: World) -> dict[str, str]:
    return {"sid": w.globex_flow.sid, "case_id": str(w.test_case.pk)}


def team(w: World) -> dict[str, str]:
    return {"slug": w.acme.slug}


def in_team(sid: Callable[[World], str], slug: str = "acme") -> Callable[[World], dict]:
    return lambda w: {"slug": slug, "sid": sid(w)}


def member(w: World) -> str:
    return w.member_sid("viewer")


def invitation(w: World) -> str:
    return w.invitation.sid


def key(w: World) -> str:
    return w.revocable_key.sid


def webhook(w: World) -> dict[str, str]:
    return {"account_sid": w.acme.account_sid, "flow_sid": w.flow.sid}


def webhook_callback(w: World) -> dict[str, str]:
    return {**webhook(w), "execution_sid": w.execution.sid}


def api_flow(w: World) -> dict[str, str]:
    return {"flow_sid": w.flow.sid}


def api_execution(w: World) -> dict[str, str]:
    return {"flow_sid": w.flow.sid, "sid": w.execution.sid}


def api_execution_mixed(w: World) -> dict[str, str]:
    return {"flow_sid": w.globex_flow.sid, "sid": w.execution.sid}


def api_under_execution(w: World) -> dict[str, str]:
    return {"flow_sid": w.flow.sid, "execution_sid": w.execution.sid}


def api_under_execution_mixed(w: World) -> dict[str, str]:
    return {"flow_sid": w.globex_flow.sid, "execution_sid": w.execution.sid}


def api_step(name: str) -> Callable[[World], dict[str, str]]:
    return lambda w: {**api_under_execution(w), name: w.step_sid}


def api_step_mixed(name: str) -> Callable[[World], dict[str, str]]:
    def kwargs(w: World) -> dict[str, str]:
        own = {"flow_sid": w.globex_flow.sid, "execution_sid": w.globex_execution.sid}
        return {**own, name: w.step_sid}

    return kwargs


# Bodies, from the world and the visitor's username.
NEW_PASSWORD = "a-much-longer-passphrase-9"


def definition() -> str:
    return json.dumps(load_sample("sms-chatbot"))


def v2_flow(w: World, username: str) -> dict[str, Any]:
    return {"FriendlyName": "Made by the matrix", "Status": "draft", "Definition": definition()}


def constant(body: dict[str, Any]) -> Callable[[World, str], dict[str, Any]]:
    return lambda w, username: body


def password_change(w: World, username: str) -> dict[str, str]:
    old = f"{username}-password"
    return {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def profile(w: World, username: str) -> dict[str, str]:
    """A new email address, with the current password it needs."""
    return {
        "display_name": "Someone",
        "email": "someone@example.com",
        "avatar_colour": "teal",
        "current_password": f"{username}-password",
    }


def canvas_edit(w: World, username: str) -> dict[str, Any]:
    move = {"op": "move_widgets", "offsets": {"menu": {"x": 3, "y": 4}}}
    return {"base_version": w.flow.version, "ops": [move]}


def canvas_import(w: World, username: str) -> dict[str, Any]:
    return {"base_version": w.flow.version, "definition": definition()}


def canvas_lint(w: World, username: str) -> dict[str, Any]:
    return {"definition": load_sample("sms-chatbot")}


NEW_FLOW = {"friendly_name": "New", "team": "acme", "template": "blank"}
SIGN_UP = {"username": "erin", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
NEW_PASSWORDS = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
EXECUTION = {"To": "+15550002222", "From": "+15550003333"}


ROUTES: dict[str, Route] = {
    # Flows: everyone in the team reads, editors change, the outsider finds nothing.
    "flow_list": Route(PAGE, methods={"GET": signed_in(200)}),
    "flow_new": Route(
        PAGE,
        # The outsider edits Globex, so he gets the form; Acme is not among its choices.
        methods={"GET": roles(200, 200, 403, 200), "POST": roles(did(302), did(302), 403, 200)},
        body=constant(NEW_FLOW),
    ),
    "flow_import": Route(
        PAGE,
        methods={"GET": roles(200, 200, 403, 200), "POST": roles(did(302), did(302), 403, 200)},
        body=lambda w, u: {"text": definition(), "team": "acme", "friendly_name": "Imported"},
    ),
    "flow_detail": Route(PAGE, flow, {"GET": members(200)}),
    "flow_export": Route(PAGE, flow, {"GET": members(200)}),
    "flow_delete": Route(PAGE, flow, {"GET": editors(200), "POST": editors(did(302))}),
    "flow_copy": Route(
        PAGE,
        flow,
        {"GET": editors(200), "POST": editors(did(302))},
        constant({"team": "acme", "friendly_name": "Copy"}),
    ),
    "flow_move": Route(
        PAGE,
        flow,
        {"GET": editors(200), "POST": editors(did(302))},
        constant({"team": "initech"}),
    ),
    # Pull and push (Acme has no Twilio connection: editors are told so, nothing changes).
    "flow_push": Route(PAGE, flow, {"POST": editors(302)}, constant({"message": "Matrix"})),
    "flow_pull": Route(PAGE, flow, {"POST": editors(302)}),
    "flow_executions": Route(PAGE, flow, {"GET": members(200)}),
    "flow_activity": Route(PAGE, flow, {"GET": members(200)}),
    "execution_detail": Route(PAGE, execution, {"GET": members(200)}, mixed=execution_mixed),
    "execution_end": Route(PAGE, execution, {"POST": editors(did(302))}, mixed=execution_mixed),
    "execution_step_context": Route(PAGE, step, {"GET": members(200)}, mixed=step_mixed),
    # Signing in and out, and accounts: each visitor's own.
    "login": Route(
        PUBLIC,
        methods={"GET": everyone(200), "POST": everyone(200)},
        body=constant({"username": "alice", "password": "not-her-password"}),
    ),
    "logout": Route(PUBLIC, methods={"POST": everyone(302)}),
    "signup": Route(
        PUBLIC,
        methods={
            "GET": roles(302, 302, 302, 302, anonymous=200),
            "POST": roles(302, 302, 302, 302, anonymous=did(302)),
        },
        body=constant(SIGN_UP),
    ),
    "profile": Route(
        PAGE, methods={"GET": signed_in(200), "POST": signed_in(did(302))}, body=profile
    ),
    "password_change": Route(
        PAGE, methods={"GET": signed_in(200), "POST": signed_in(did(302))}, body=password_change
    ),
    "password_change_done": Route(PAGE, methods={"GET": signed_in(200)}),
    "password_reset": Route(
        PUBLIC,
        # A mail is sent, no row changes (the throttle's count is volatile).
        methods={"GET": everyone(200), "POST": everyone(302)},
        body=constant({"email": "nobody@example.com"}),
    ),
    "password_reset_done": Route(PUBLIC, methods={"GET": everyone(200)}),
    "password_reset_confirm": Route(
        PUBLIC,
        lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        # A bad link is answered with its page whatever the method (Django's view).
        {"GET": everyone(200), "POST": everyone(200), "DELETE": everyone(200)},
        constant(NEW_PASSWORDS),
    ),
    "password_reset_complete": Route(PUBLIC, methods={"GET": everyone(200)}),
    # Teams: members read; owners change members, invitations and the name; editors make
    # API keys and revoke their own.
    "team_list": Route(PAGE, methods={"GET": signed_in(200)}),
    "team_new": Route(
        PAGE, methods={"POST": signed_in(did(302))}, body=constant({"name": "Umbrella"})
    ),
    "team_detail": Route(PAGE, team, {"GET": members(200)}),
    "team_rename": Route(
        PAGE, team, {"POST": owners(did(302))}, constant({"name": "Acme Corporation"})
    ),
    # alice is Acme's only owner: leaving is refused with a message, and nothing changes.
    "team_leave": Route(PAGE, team, {"POST": roles(302, did(302), did(302), 404)}),
    "team_transfer": Route(
        PAGE, team, {"POST": owners(did(302))}, lambda w, u: {"member": w.member_sid("editor")}
    ),
    "member_role": Route(
        PAGE,
        in_team(member),
        {"POST": owners(did(302))},
        constant({"role": "editor"}),
        mixed=in_team(member, "globex"),
    ),
    "member_remove": Route(
        PAGE, in_team(member), {"POST": owners(did(302))}, mixed=in_team(member, "globex")
    ),
    "invitation_new": Route(
        PAGE, team, {"POST": owners(did(201))}, constant({"role": "viewer", "email": ""})
    ),
    "invitation_revoke": Route(
        PAGE, in_team(invitation), {"POST": owners(did(302))}, mixed=in_team(invitation, "globex")
    ),
    "api_key_new": Route(
        PAGE, team, {"POST": editors(did(201))}, constant({"friendly_name": "ci"})
    ),
    # The key to revoke is alice's: bob may revoke only his own.
    "api_key_revoke": Route(
        PAGE, in_team(key), {"POST": owners(did(302))}, mixed=in_team(key, "globex")
    ),
    # The Twilio account: owners set it. A form that is not a connection never reaches
    # Twilio (400); disconnecting a team that has none changes nothing.
    "twilio_connect": Route(
        PAGE, team, {"POST": roles(400, 403, 403, 404)}, constant({"account_sid": "AC1"})
    ),
    "twilio_disconnect": Route(PAGE, team, {"POST": owners(302)}),
    # The account's flows to pull: editors see that there is no connection to list.
    "twilio_flows": Route(
        PAGE, team, {"GET": editors(200), "POST": editors(302)}, constant({"sid": "FW1"})
    ),
    # Twilio's webhooks: only a request signed with the team's auth token runs anything,
    # whoever sends it (Acme has no Twilio connection, so nothing can be verified).
    "flow_webhook": Route(OPEN, webhook, {"GET": everyone(403), "POST": everyone(403)}),
    "execution_callback": Route(OPEN, webhook_callback, {"POST": everyone(403)}),
    "message_status": Route(OPEN, webhook_callback, {"POST": everyone(403)}),
    # The link is the permission: whoever holds it may join (members are told they are in).
    "invitation": Route(
        PUBLIC,
        lambda w: {"token": w.invitation_token},
        {"GET": everyone(200), "POST": roles(302, 302, 302, did(302), anonymous=200)},
    ),
    # Browsers ask for it whatever the page links to.
    "favicon.ico": Route(PUBLIC, methods={m: everyone(301) for m in METHODS}),
    # The Studio API: sessions and API keys; a key is its team's editor.
    "api:healthz": Route(OPEN, methods={"GET": everyone(200)}),
    "api:flow-list": Route(
        V2,
        # The outsider's flow goes to his own team.
        methods={"GET": signed_in(200), "POST": roles(did(201), did(201), 403, did(201))},
        body=v2_flow,
    ),
    "api:flow-validate": Route(V2, methods={"POST": signed_in(200)}, body=v2_flow),
    "api:flow-detail": Route(
        V2,
        flow,
        {"GET": members(200), "POST": editors(did(200)), "DELETE": editors(did(204))},
        constant({"Status": "published"}),
    ),
    "api:revision-list": Route(V2, flow, {"GET": members(200)}),
    "api:revision-detail": Route(V2, revision, {"GET": members(200)}),
    "api:test-users": Route(
        V2,
        flow,
        {"GET": members(200), "POST": editors(did(200))},
        constant({"TestUsers": "+15550001111"}),
    ),
    "api:execution-list": Route(
        V2, api_flow, {"GET": members(200), "POST": editors(did(201))}, constant(EXECUTION)
    ),
    "api:execution-detail": Route(
        V2,
        api_execution,
        {"GET": members(200), "POST": editors(did(200)), "DELETE": editors(did(204))},
        constant({"Status": "ended"}),
        mixed=api_execution_mixed,
    ),
    "api:execution-context": Route(
        V2, api_under_execution, {"GET": members(200)}, mixed=api_under_execution_mixed
    ),
    "api:step-list": Route(
        V2, api_under_execution, {"GET": members(200)}, mixed=api_under_execution_mixed
    ),
    "api:step-detail": Route(
        V2, api_step("sid"), {"GET": members(200)}, mixed=api_step_mixed("sid")
    ),
    "api:step-context": Route(
        V2, api_step("step_sid"), {"GET": members(200)}, mixed=api_step_mixed("step_sid")
    ),
    # Any other /v2/ path, whatever the method: Twilio's 404, after authentication.
    "api:unknown": Route(V2, methods={m: signed_in(404) for m in METHODS}),
    # Studio v1's REST paths (not its webhooks): the same 404.
    "api:unknown-v1": Route(V2, methods={m: signed_in(404) for m in METHODS}),
    # Any other /api/editor/ path: the canvas's 404 in the same envelope, after
    # authentication (a key reaches the canvas's linting and test cases, so here too).
    "api:unknown-editor": Route(CANVAS_KEYS, methods={m: signed_in(404) for m in METHODS}),
    "api:schema": Route(OPEN, methods={"GET": everyone(200)}),
    "api:docs": Route(OPEN, methods={"GET": everyone(200)}),
    # The canvas's API: sessions only, so a key is nobody there.
    "api:editor-catalogue": Route(CANVAS, methods={"GET": signed_in(200)}),
    "api:editor-document": Route(CANVAS, flow, {"GET": members(200)}),
    "api:editor-edits": Route(CANVAS, flow, {"POST": editors(did(200))}, canvas_edit),
    "api:editor-publish": Route(
        CANVAS, flow, {"POST": editors(did(200))}, constant({"commit_message": "Matrix"})
    ),
    "api:editor-save": Route(CANVAS, flow, {"POST": editors(did(200))}),
    "api:editor-import": Route(CANVAS, flow, {"POST": editors(did(200))}, canvas_import),
    "api:editor-settings": Route(
        CANVAS, flow, {"POST": editors(did(200))}, constant({"friendly_name": "Renamed"})
    ),
    # Linting reads: every member may lint the draft or an unsaved document; nothing changes.
    "api:editor-lint": Route(
        CANVAS_KEYS, flow, {"GET": members(200), "POST": members(200)}, canvas_lint
    ),
    "api:editor-revisions": Route(CANVAS, flow, {"GET": members(200)}),
    "api:editor-diff": Route(CANVAS, flow, {"GET": members(200)}),
    "api:editor-revision": Route(CANVAS, revision, {"GET": members(200)}),
    "api:editor-restore": Route(CANVAS, revision, {"POST": editors(did(200))}),
    "api:editor-tests": Route(
        CANVAS_KEYS,
        flow,
        {"GET": members(200), "POST": editors(did(201))},
        constant({"source": "name: New case\ntrigger: {type: incomingMessage}\n"}),
    ),
    "api:editor-test": Route(
        CANVAS_KEYS,
        test_case,
        {"GET": members(200), "POST": editors(did(200)), "DELETE": editors(did(204))},
        constant({"source": "name: Renamed\ntrigger: {type: incomingCall}\n"}),
        mixed=test_case_mixed,
    ),
    # Viewers run cases too; a run stores each case's last result.
    "api:editor-tests-run": Route(CANVAS_KEYS, flow, {"POST": members(did(200))}),
    "api:editor-tests-policy": Route(
        CANVAS_KEYS, flow, {"POST": editors(did(200))}, constant({"require_passing": True})
    ),
    "api:editor-tests-from-execution": Route(
        CANVAS_KEYS,
        flow,
        {"POST": editors(did(201))},
        lambda w, u: {"execution_sid": w.execution.sid},
    ),
    "api:editor-replay": Route(
        CANVAS_KEYS, flow, {"POST": members(200)}, lambda w, u: {"execution_sid": w.execution.sid}
    ),
}

# Patterns of Django's own, guarded by Django rather than by editor/access.py.
EXCLUDED = {
    "admin": "Django's admin site: staff only, checked by django.contrib.admin (its sign-in "
    "form is the site's throttled one, tests/test_sign_in_throttle.py)",
}
