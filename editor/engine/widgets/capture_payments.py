from __future__ import annotations

from typing import Any

from .base import CallbackWidget, text_flag, whole

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
            "payment_connector": self.raw("payment_connector"),
            "payment_amount": self.text(run, "payment_amount"),
            "currency": self.raw("currency"),
            "description": self.text(run, "description"),
            "payment_method": self.choice("payment_method"),
            "payment_token_type": self.choice("payment_token_type"),
            "valid_card_types": list(self.items("valid_card_types")),
            "security_code": self.flag("security_code"),
            "postal_code": text_flag(self.value("postal_code")),
            "timeout": whole(self.seconds("timeout")),
            "max_attempts": whole(self.number("max_attempts")),
            "bank_account_type": self.choice("bank_account_type"),
            "min_postal_code_length": whole(self.number("min_postal_code_length")) or None,
            "language": self.raw("language"),
            "parameters": {k: str(v) for k, v in self.pairs(run, "parameters").items()},
        }

    def choose(self, params: dict[str, Any]) -> str | None:
        return RESULTS.get(str(params.get("Result", "")))
