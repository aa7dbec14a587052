"""The errors of the execution verbs (services/executions.py), with Twilio's status and
code: errors.py turns them into the API's envelope, the consumers into error frames."""

from __future__ import annotations

from typing import Any

# Commits tried before an event gives up on an execution that others keep moving on.
COMMIT_ATTEMPTS = 5


class ExecutionError(Exception):
    """A request the execution cannot honour; `status` and `code` follow Twilio's API."""

    status = 400
    code = 20001

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ExecutionConflict(ExecutionError):
    status = 409
    code = 20409

    def __init__(self, sid: str) -> None:
        super().__init__(
            f"Execution {sid} is already active for this contact. "
            "End the active Execution before creating a new one",
            conflicting_execution_sid=sid,
        )


class ExecutionEnded(ExecutionError):
    status = 409
    code = 20409


class ExecutionBusy(ExecutionError):
    status = 409
    code = 20409

    def __init__(self, sid: str) -> None:
        super().__init__(
            f"Execution {sid} changed {COMMIT_ATTEMPTS} times while this event was being "
            "processed; send it again"
        )
