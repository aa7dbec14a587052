"""POST /v2/Flows/FW…/Executions: what a create asks of the database (bench/RESULTS.md, B6).

On PostgreSQL two round trips: the API key with its team, the URL's flow, the throttle
rows and what the start reads first for the body's To and From (editor/api/auth.py): the
busy check, the new execution's key and the team's Twilio connection (editor/services/
execution_start_read.py start_read); and the commit, one statement (editor/models/one_trip.py,
editor/models/gathered.py). The folded reads keep what the separate ones did: another
team's flow is a 404, a busy contact a 409 naming its execution, a concurrent start for
the same contact a 409 naming the other execution, and the outbox still asks for the
connection when nobody read it (services/outbox.py connected)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.db import connection

from editor import services
from editor.access import Principal, flow_for
from editor.api.auth import key_and_throttle
from editor.engine import runtime
from editor.models import Execution, Flow, OutboundRequest, TwilioConnection
from editor.samples import sample_text
from editor.services import outbox

from .round_trips import counting
from .test_api_access import assert_envelope
from .test_api_flows import basic_auth
from .twilio_support import connect

pytestmark = pytest.mark.django_db(transaction=True)
FLOW_ADDRESS = "+15550006000"
NO_THROTTLE = ["0" * 64]  # a throttle subject (editor/throttle.py) with no row
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="round trips are PostgreSQL's pipeline"
)


@pytest.fixture
def flow(team):
    """The benchmark's flow: REST-triggered, sends a message and waits for the reply."""
    return services.import_flow(team, sample_text("appointment-reminder"), publish=True)


def create(client, flow_sid: str, to: str):
    data = {"To": to, "From": FLOW_ADDRESS}
    data["Parameters"] = json.dumps({"appointment": "tomorrow at 9"})
    return post_form(client, f"/v2/Flows/{flow_sid}/Executions", data)


def post_form(client, path: str, data: dict[str, str]):
    """As Twilio's SDKs send parameters: a urlencoded form."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")


def warm(client, flow_sid: str) -> None:
    # Past psycopg's prepare threshold, and the key's last_used written (once a minute).
    for n in range(6):
        assert create(client, flow_sid, f"+1555000000{n}").status_code == 201


def about(table: type, statements: list[str]) -> list[str]:
    name = connection.ops.quote_name(table._meta.db_table)
    return [sql for sql in statements if f"FROM {name}" in sql]


@postgresql_only
def test_a_create_makes_two_round_trips_of_one_statement_each(signed, flow):
    warm(signed, flow.sid)

    with counting() as trips:
        response = create(signed, flow.sid, "+15550009999")

    assert response.status_code == 201, response.json()
    assert trips.count == 2, trips.waits
    # The key's read with the busy check and key; the commit: the execution, its step, its
    # three transcript entries and its timer in one statement (models/gathered.py).
    assert len(trips.statements) == 2, trips.statements
    assert "nextval(" in trips.statements[0]
    commit = trips.statements[-1]
    assert commit.startswith("WITH w0 AS (INSERT INTO") and commit.count(" AS (INSERT") == 4
    execution = Execution.objects.get(sid=response.json()["sid"])
    assert execution.steps.count() == 1 and execution.transcript.count() == 3


def asked_with_the_busy_check(statements: list[str]) -> bool:
    """The team's connection was asked once, in the start's read (start_read)."""
    (asked,) = about(TwilioConnection, statements)
    return asked in about(Execution, statements)


def test_the_flow_and_the_starts_read_come_with_the_key(signed, flow):
    warm(signed, flow.sid)

    with counting() as trips:
        response = create(signed, flow.sid, "+15550009999")

    assert response.status_code == 201
    (key_read,) = [sql for sql in trips.statements if '"editor_apikey"' in sql]
    assert not about(Flow, trips.statements)
    assert asked_with_the_busy_check(trips.statements)
    assert about(Execution, trips.statements) == [key_read]


def test_a_busy_contact_is_a_409_from_the_keys_read(signed, flow):
    first = create(signed, flow.sid, "+15550009999")

    with counting() as trips:
        again = create(signed, flow.sid, "+15550009999")

    body = assert_envelope(again, 409, 20409)
    assert body["details"] == {"conflicting_execution_sid": first.json()["sid"]}
    assert len(about(Execution, trips.statements)) == 1  # the key's read alone
    assert Execution.objects.count() == 1


@pytest.mark.parametrize(
    ("to", "asked", "status"),
    [
        (" +15550009999 ", False, 201),  # the parameters trim it: another address
        ("+1555000\t9999", False, 201),
        ("+1555000\x009999", False, 400),  # PostgreSQL would refuse the NUL
        ("", False, 400),
        ("x" * 300, True, 400),  # asked, harmlessly; the parameters refuse it
    ],
)
def test_a_to_the_key_read_cannot_ask_for_is_left_to_the_view(signed, flow, to, asked, status):
    data = {"To": to, "From": FLOW_ADDRESS}
    with counting() as trips:
        response = post_form(signed, f"/v2/Flows/{flow.sid}/Executions", data)

    assert ('"editor_twilioconnection"' in trips.statements[0]) is asked
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["contact_channel_address"] == to.strip()
        assert asked_with_the_busy_check(trips.statements)


def test_a_json_body_is_started_by_the_view_alone(signed, flow):
    body = json.dumps({"To": "+15550009999", "From": FLOW_ADDRESS})

    with counting() as trips:
        response = signed.post(
            f"/v2/Flows/{flow.sid}/Executions", body, content_type="application/json"
        )

    assert '"editor_twilioconnection"' not in trips.statements[0]
    assert response.status_code in (201, 415), response.content
    if response.status_code == 201:
        assert asked_with_the_busy_check(trips.statements)


def test_the_starts_read_is_used_once_and_for_its_own_contact(team, flow):
    from editor.services.execution_start_read import StartRead

    mine, _ = services.create_api_key(team)
    start = ("+15550001111", FLOW_ADDRESS)
    key, _ = key_and_throttle(mine.sid, NO_THROTTLE, flow.sid, start)
    read = key.flows_read[flow.sid]
    assert isinstance(read.prefetched_start, StartRead) and read.prefetched_start.busy is None

    with counting() as trips:  # another contact: read afresh
        outcome = services.start_execution(
            read, kind="request", contact="+15550002222", flow_address=FLOW_ADDRESS
        )
    assert outcome.execution.contact_channel_address == "+15550002222"
    assert len(about(Execution, trips.statements)) == 1
    assert read.prefetched_start is None


def test_a_connected_team_writes_its_outbox_without_asking_again(signed, flow, team):
    connect(team)
    warm(signed, flow.sid)

    with counting() as trips:
        response = create(signed, flow.sid, "+15550009999")

    assert response.status_code == 201
    assert asked_with_the_busy_check(trips.statements)
    (request,) = OutboundRequest.objects.filter(execution__sid=response.json()["sid"])
    assert request.request["to"] == "+15550009999"


def test_a_team_without_a_connection_writes_no_outbox(signed, flow):
    response = create(signed, flow.sid, "+15550009999")

    assert response.status_code == 201
    assert not OutboundRequest.objects.exists()


def test_a_flow_read_on_its_own_still_asks_for_the_connection(flow, team):
    connect(team)
    fresh = Flow.objects.get(pk=flow.pk)  # as the webhook and websocket paths have it

    with counting() as trips:
        assert outbox.connected(fresh)

    assert len(about(TwilioConnection, trips.statements)) == 1


def test_any_start_asks_for_the_connection_once_with_its_busy_check(flow, team):
    """Not only the API's: a webhook's or the shell's start reads it in the same statement."""
    connect(team)
    fresh = Flow.objects.select_related("team").get(pk=flow.pk)

    with counting() as trips:
        outcome = services.start_execution(
            fresh, kind="request", contact="+15550007777", flow_address=FLOW_ADDRESS
        )

    assert asked_with_the_busy_check(trips.statements)
    assert OutboundRequest.objects.filter(execution=outcome.execution).count() == 1


def test_another_teams_flow_is_a_404_through_the_keys_read(signed, other_team):
    theirs = services.import_flow(other_team, sample_text("appointment-reminder"), publish=True)

    response = create(signed, theirs.sid, "+15550009999")

    assert_envelope(response, 404, 20404)
    assert not Execution.objects.exists()


def test_a_missing_flow_is_a_404_and_a_wrong_secret_a_401(signed, client, team, flow):
    assert_envelope(create(signed, "FW" + "0" * 32, "+15550009999"), 404, 20404)

    key, _ = services.create_api_key(team)
    client.defaults["HTTP_AUTHORIZATION"] = basic_auth(key.sid, "not-the-secret")
    assert_envelope(create(client, flow.sid, "+15550009999"), 401, 20003)
    assert not Execution.objects.exists()


def test_the_keys_read_finds_only_its_own_teams_flow(team, other_team, flow):
    mine, _ = services.create_api_key(team)
    theirs, _ = services.create_api_key(other_team)

    key, _ = key_and_throttle(mine.sid, NO_THROTTLE, flow.sid)
    assert key.flows_read[flow.sid].pk == flow.pk
    assert key.flows_read[flow.sid].team is key.team

    key, _ = key_and_throttle(theirs.sid, NO_THROTTLE, flow.sid)
    assert key.flows_read == {flow.sid: None}
    with pytest.raises(Exception, match="No such flow"):
        flow_for(Principal(api_key=key), flow.sid)


def test_a_flow_read_with_the_key_is_used_once(team, flow):
    mine, _ = services.create_api_key(team)
    key, _ = key_and_throttle(mine.sid, NO_THROTTLE, flow.sid)
    principal = Principal(api_key=key)

    with counting() as trips:
        first = flow_for(principal, flow.sid, edit=True)
    assert first.pk == flow.pk and not trips.statements

    with counting() as trips:
        again = flow_for(principal, flow.sid)
    assert again.pk == flow.pk and again is not first
    assert len(trips.statements) == 1


def test_a_concurrent_start_for_the_same_contact_is_a_409_naming_the_other(
    signed, flow, monkeypatch
):
    original = runtime.start
    others: list[str] = []

    def start_while_another_starts(*args, **kwargs):
        if not others:
            # Another request for the same contact commits while this one's engine runs.
            others.append("")
            other = services.start_execution(
                Flow.objects.select_related("team").get(pk=flow.pk),
                kind="request",
                contact="+15550009999",
                flow_address=FLOW_ADDRESS,
            )
            others[0] = other.execution.sid
        return original(*args, **kwargs)

    monkeypatch.setattr(runtime, "start", start_while_another_starts)

    response = create(signed, flow.sid, "+15550009999")

    body = assert_envelope(response, 409, 20409)
    assert body["details"] == {"conflicting_execution_sid": others[0]}
    assert list(Execution.objects.values_list("sid", flat=True)) == others
    # The key taken for the start that lost is skipped; the next start commits.
    monkeypatch.setattr(runtime, "start", original)
    assert create(signed, flow.sid, "+15550008888").status_code == 201


def test_a_request_on_no_flow_reads_the_key_alone(signed, flow):
    """The flow list (bench B6's other endpoint) pays for neither join."""
    signed.get("/v2/Flows")

    with counting() as trips:
        assert signed.get("/v2/Flows").status_code == 200

    key_read = trips.statements[0]
    assert "twilioconnection" not in key_read and '"editor_flow" f' not in key_read


def test_the_form_read_with_the_key_is_not_parsed_again(signed, flow, monkeypatch):
    from rest_framework import parsers

    def parse_again(*args, **kwargs):
        raise AssertionError("the form was parsed a second time")

    monkeypatch.setattr(parsers.FormParser, "parse", parse_again)

    response = create(signed, flow.sid, "+15550009999")

    assert response.status_code == 201, response.content
    assert response.json()["contact_channel_address"] == "+15550009999"


def test_a_form_nobody_read_before_is_parsed_by_the_view(signed, flow):
    # Not a create: the key's read does not look at the body, DRF's parser does.
    created = create(signed, flow.sid, "+15550009999").json()

    response = post_form(signed, created["url"].split("testserver")[1], {"Status": "ended"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended"
