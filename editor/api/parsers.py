"""The canvas API's JSON bodies, read by the same reader as every flow document.

DRF's JSONParser accepts `1e999` (as infinity), lone surrogates and any nesting depth up
to a RecursionError, each of which ends in a 500 further on. This one applies the limits
of flowspec/jsontext.py: a body is refused with a 400 that says why, before a view runs.
"""

from __future__ import annotations

from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from ..flowspec.jsontext import load_json
from ..flowspec.problems import DocumentError
from .limits import max_request_bytes


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        try:
            return load_json(stream.read(), max_bytes=max_request_bytes())
        except DocumentError as exc:
            raise ParseError(f"The request body {exc.problems[0].message}") from None
