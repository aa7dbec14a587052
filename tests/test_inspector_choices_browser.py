"""The inspector offers Studio's choices in Studio's words and saves what Studio stores.

Capture Payments' enumerations show the catalogue's labels ("Credit card", "One-time") and
save the stored values ("ACH_DEBIT"); Say/Play's voice and language offer suggestions in a
datalist but take any text and Liquid. Playwright drives Debian's chromium against the ASGI
live server (tests/browser_support.py); saves are checked through the ORM.
"""

from __future__ import annotations

import pytest

from editor import services
from editor.flowspec.studio_json import join_state, new_document, new_state
from tests.browser_support import (
    asgi_context_fixture,  # noqa: F401
    exported,
    fill,
    open_flow,
    select,
    wait_saved,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("insecure_cookies")]


@pytest.fixture(name="payment_flow")
def payment_flow_fixture(team, alice):
    """Trigger → say_play_1 → pay_1, with the catalogue's defaults."""
    say = new_state("say-play", "say_play_1", {"x": 0, "y": 300})
    say.properties["say"] = "Please enter your card."
    say.transitions[0]["next"] = "pay_1"
    pay = new_state("capture-payments", "pay_1", {"x": 0, "y": 600})
    document = new_document()
    document["states"][0]["transitions"][1]["next"] = "say_play_1"
    document["states"] += [join_state(say), join_state(pay)]
    return services.create_flow(team, friendly_name="Payments", definition=document)


def field(page, name):
    return page.locator(f"[data-testid='inspector'] [data-testid='field-{name}']")


def selected_text(locator):
    return locator.evaluate("(el) => el.selectedOptions[0].textContent")


def test_an_enumeration_reads_as_labels_and_saves_the_stored_value(
    context, asgi_live_server, payment_flow
):
    page = open_flow(context, asgi_live_server, payment_flow.sid)
    select(page, "pay_1")
    method = field(page, "payment_method")
    assert selected_text(method) == "Credit card"
    assert method.input_value() == "CREDIT_CARD"
    texts = method.locator("option").all_inner_texts()
    assert texts == ["Credit card", "ACH debit"]
    assert selected_text(field(page, "payment_token_type")) == "Reusable"
    assert "American Express" in field(page, "valid_card_types").inner_text()

    method.select_option(label="ACH debit")
    field(page, "payment_token_type").select_option(label="One-time")
    wait_saved(page)
    saved = exported(payment_flow)["pay_1"]["properties"]
    assert saved["payment_method"] == "ACH_DEBIT"
    assert saved["payment_token_type"] == "one-time"

    field(page, "valid_card_types").get_by_label("American Express").check()
    wait_saved(page)
    assert exported(payment_flow)["pay_1"]["properties"]["valid_card_types"] == ["amex"]


def test_say_voice_offers_suggestions_and_accepts_liquid(context, asgi_live_server, payment_flow):
    page = open_flow(context, asgi_live_server, payment_flow.sid)
    select(page, "say_play_1")
    voice = field(page, "voice")
    listed = voice.get_attribute("list")
    assert listed
    offered = page.locator(f"[id='{listed}'] option")
    values = offered.evaluate_all("(os) => os.map((o) => [o.value, o.label])")
    assert ["alice", "Alice"] in values
    assert any(v.startswith("Polly.") for v, _ in values)
    assert any(v.startswith("Google.") for v, _ in values)
    language = field(page, "language")
    assert language.get_attribute("list")
    label = page.locator("[data-testid='inspector'] [data-testid='suggested-label-language']")
    assert label.inner_text() == "English (US)"

    fill(page, "field-voice", "Polly.Joanna")
    voice_label = page.locator("[data-testid='inspector'] [data-testid='suggested-label-voice']")
    assert voice_label.inner_text().startswith("Joanna")
    wait_saved(page)
    assert exported(payment_flow)["say_play_1"]["properties"]["voice"] == "Polly.Joanna"

    fill(page, "field-voice", "{{flow.variables.voice}}")
    assert voice_label.count() == 0
    wait_saved(page)
    assert exported(payment_flow)["say_play_1"]["properties"]["voice"] == "{{flow.variables.voice}}"
    fill(page, "field-language", "cy-GB")
    wait_saved(page)
    assert exported(payment_flow)["say_play_1"]["properties"]["language"] == "cy-GB"
