from __future__ import annotations

from typing import Any

from .base import CallbackWidget, str_bool

RESULTS = {
    "success": "success",
    "too-many-failed-attempts": "maxFailedAttempts",
    "payment-connector-error": "providerError",
    "caller-interrupted-with-star": "payInterrupted",
    "caller-hung-up": "hangup",
    "validation-error": "validationError",
}


class CapturePayments(CallbackWidget):
    """<Pay>; its Result decides the event (spec §2.17)."""

    type = "capture-payments"
    verb = "pay"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "payment_connector": str(self.props.get("payment_connector", "")),
            "payment_amount": self.text(run, "payment_amount"),
            "currency": str(self.props.get("currency", "usd")),
            "description": self.text(run, "description"),
            "payment_method": str(self.props.get("payment_method", "CREDIT_CARD")),
            "payment_token_type": str(self.props.get("payment_token_type", "reusable")),
            "valid_card_types": list(self.items("valid_card_types")),
            "security_code": str_bool(self.props.get("security_code"), True),
            "postal_code": str(self.props.get("postal_code", "true")),
            "timeout": int(self.seconds("timeout", 5)),
            "max_attempts": int(self.number("max_attempts", 2)),
        }

    def choose(self, params: dict[str, Any]) -> str | None:
        return RESULTS.get(str(params.get("Result", "")))
