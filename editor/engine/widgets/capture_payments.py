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
            "bank_account_type": str(self.props.get("bank_account_type") or ""),
            "min_postal_code_length": int(self.number("min_postal_code_length", 0)) or None,
            "language": str(self.props.get("language") or ""),
            "parameters": {k: str(v) for k, v in self.pairs(run, "parameters").items()},
        }

    def choose(self, params: dict[str, Any]) -> str | None:
        return RESULTS.get(str(params.get("Result", "")))
