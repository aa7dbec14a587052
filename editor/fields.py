"""A JSON column that keeps the document exactly as written.

PostgreSQL's jsonb reorders object keys; exported flows should come back in the order they
arrived (readable diffs in users' repositories), so the JSON is stored as text.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

# json.dumps builds a new encoder whenever it is given options; rows are saved by the
# thousand, so one shared encoder it is. NaN and Infinity are not JSON: writing one would
# make the row unreadable to every JSON client, so the encoder refuses (ValueError). Input
# never gets that far (flowspec/jsontext.py refuses them); this is the last line.
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class JSONTextField(models.TextField):
    description = "JSON stored as text, key order preserved"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return ENCODER.encode(value)

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""
