"""`manage.py create_api_key`, `add_member` and `bootstrap_demo`: one JSON line for machines
to read, an existing team or member reused, and a demo whose login is kept in a file only
its owner reads, which a second run restores along with any sample flow that is missing."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management.base import CommandError

from editor.models import ApiKey, Flow, Membership, Role, Status, Team, hash_secret
from editor.samples import SAMPLES
from editor.sids import is_sid

from .command_support import run

pytestmark = pytest.mark.django_db


# create_api_key


def test_create_api_key_prints_one_json_line_with_the_sids_and_secret():
    out, _ = run("create_api_key", "initech", "--name", "CI")
    assert out.count("\n") == 1
    line = json.loads(out)
    assert set(line) == {"account_sid", "api_key_sid", "api_key_secret"}
    assert is_sid(line["account_sid"], "AC")
    assert is_sid(line["api_key_sid"], "SK")
    key = ApiKey.objects.get(sid=line["api_key_sid"])
    assert key.team.slug == "initech"
    assert key.team.account_sid == line["account_sid"]
    assert key.friendly_name == "CI"
    assert key.check_secret(line["api_key_secret"])
    assert key.secret_hash == hash_secret(line["api_key_secret"])


def test_create_api_key_reuses_an_existing_team(team):
    line = json.loads(run("create_api_key", "acme")[0])
    assert line["account_sid"] == team.account_sid
    assert Team.objects.count() == 1


# add_member


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_add_member_creates_the_user_and_gives_the_role(role, team):
    out, _ = run("add_member", "acme", "erin", "--role", role, "--password", "erin-pass-123")
    line = json.loads(out)
    assert line == {
        "team": "acme",
        "account_sid": team.account_sid,
        "username": "erin",
        "role": role,
        "user_created": True,
    }
    membership = Membership.objects.get(team=team, user__username="erin")
    assert membership.role == role
    assert membership.user.check_password("erin-pass-123")


def test_add_member_changes_the_role_of_an_existing_member(bob, team):
    out, _ = run("add_member", "acme", "bob", "--role", "viewer")
    assert json.loads(out)["user_created"] is False
    assert Membership.objects.get(team=team, user=bob).role == Role.VIEWER
    bob.refresh_from_db()
    assert bob.check_password("bob-password")


def test_add_member_warns_when_the_new_user_has_no_password(db):
    out, err = run("add_member", "newco", "frank", "--role", "owner")
    assert json.loads(out)["team"] == "newco"
    assert "no password" in err


def test_add_member_rejects_an_unknown_role(db):
    with pytest.raises(CommandError):
        run("add_member", "acme", "erin", "--role", "admin")


# bootstrap_demo


def test_bootstrap_demo_creates_the_team_owner_and_sample_flows(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data" / "nested"
    out, _ = run("bootstrap_demo")
    login = settings.DATA_DIR / "demo-login.txt"
    assert stat.S_IMODE(login.stat().st_mode) == 0o600
    password = login.read_text().split("password:")[1].strip()
    assert "http://127.0.0.1:8000/" in out
    assert "username: demo" in out
    assert f"password: {password}" in out
    assert f"sample flows: {len(SAMPLES)}" in out
    team = Team.objects.get(slug="demo")
    assert team.name == "Demo team"
    membership = Membership.objects.get(team=team, user__username="demo")
    assert membership.role == Role.OWNER
    assert membership.user.check_password(password)
    flows = Flow.objects.of_team(team)
    assert sorted(f.friendly_name for f in flows) == sorted(s.title for s in SAMPLES)
    for flow in flows:
        assert flow.status == Status.PUBLISHED
        assert flow.valid
        assert flow.revisions.get().commit_message == "Sample flow"


def test_bootstrap_demo_is_idempotent(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    first, _ = run("bootstrap_demo")
    Flow.objects.get(friendly_name="SMS chatbot").delete()
    second, _ = run("bootstrap_demo")
    assert first.splitlines()[:3] == second.splitlines()[:3]
    assert f"sample flows: {len(SAMPLES)} (1 new)" in second
    assert Flow.objects.count() == len(SAMPLES)
    assert Team.objects.filter(slug="demo").count() == 1
    assert Membership.objects.filter(team__slug="demo").count() == 1


def test_bootstrap_demo_restores_the_password_from_the_login_file(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    run("bootstrap_demo")
    password = (tmp_path / "demo-login.txt").read_text().split("password:")[1].strip()
    user = Membership.objects.get(team__slug="demo").user
    user.set_password("something-else")
    user.save()
    run("bootstrap_demo")
    user.refresh_from_db()
    assert user.check_password(password)
