"""Why an execution ended: its `ended_reason` values."""

from __future__ import annotations

FLOW_END = "FLOW_END"
API_ENDED = "API_ENDED"
STEP_LIMIT = "STEP_LIMIT"
LOOP_LIMIT = "LOOP_LIMIT"
LIFETIME = "LIFETIME"
CALL_ENDED = "CALL_ENDED"
ERROR = "ERROR"
