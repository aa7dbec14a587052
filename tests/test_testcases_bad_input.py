"""Test case sources that no case can hold are 400s that say where, and save nothing, on
the canvas API as in the loader (editor/testcases/loader.py): found by fuzzing the canvas's
test-case endpoints, which answered a YAML escape for a lone surrogate with a 500."""

from __future__ import annotations

import pytest

from editor.models import FlowTestCase

from .conftest import post
from .testcase_support import YES, client_for, url

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

UNSTORABLE = [
    # YAML's escapes make a lone surrogate or a NUL out of plain ASCII text.
    ('name: "a\\ud800"\ntrigger: {type: incomingCall}\n', "name: text cannot hold an unpaired"),
    ('name: a\ntrigger: {type: incomingCall, "\\udfff": x}\n', "trigger: the key cannot hold an"),
    ('name: a\ntrigger: {type: incomingCall, "a\\0": x}\n', "trigger: the key cannot hold a NUL"),
    (
        'name: a\ntrigger: {type: incomingCall}\nscript: [{message: "\\ud83d"}]\n',
        "script[0].message",
    ),
]


@pytest.mark.parametrize(("source", "error"), UNSTORABLE)
def test_a_new_case_with_unstorable_text_is_a_400_that_says_where(tutorial, alice, source, error):
    response = post(client_for(alice), url(tutorial), {"source": source})

    assert response.status_code == 400, response.content
    assert any(e.startswith(error) for e in response.json()["details"]["errors"])
    assert not FlowTestCase.objects.exists()


@pytest.mark.parametrize(("source", "error"), UNSTORABLE)
def test_an_update_with_unstorable_text_leaves_the_case_as_it_was(tutorial, alice, source, error):
    client = client_for(alice)
    case = post(client, url(tutorial), {"source": YES}).json()

    response = post(client, url(tutorial, f"/{case['id']}"), {"source": source})

    assert response.status_code == 400, response.content
    assert any(e.startswith(error) for e in response.json()["details"]["errors"])
    assert FlowTestCase.objects.get().source == YES
