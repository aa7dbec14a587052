"""Filters that work on text read their input as Studio's Liquid reads it.

Studio's Liquid runs on the JVM: a filter that wants text (`upcase`, `append`, `replace`,
`truncate`, …) turns a list into its items' texts one after another, an object into Java's
`{key=value}`, a boolean into `true`/`false` and nothing into the empty text, exactly as `{{ … }}`
prints them (liquid_output.studio_text). python-liquid's string filters call Python's
`str()` instead, so `{{ widgets.http_1.parsed.tags | upcase }}` gave `['A', 'B']` and
`{{ flow.data.ok | append: "!" }}` gave `True!` where Studio gives `AB` and `true!`.
`join` reads its items the same way.

The filters keep their own behaviour; only the reading of their text input and of their
text arguments changes. Numbers are left to the filters (a count or a length).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from liquid.undefined import Undefined

from .liquid_output import studio_text

# python-liquid's filters decorated with `string_filter` (liquid/builtin/filters/string.py).
TEXT_FILTERS = (
    *("append", "capitalize", "downcase", "escape", "escape_once", "lstrip", "rstrip"),
    *("newline_to_br", "prepend", "remove", "remove_first", "remove_last", "replace"),
    *("replace_first", "replace_last", "split", "strip", "strip_html", "strip_newlines"),
    *("truncate", "truncatewords", "upcase", "url_encode", "url_decode", "squish"),
    *("base64_encode", "base64_decode", "base64_url_safe_encode", "base64_url_safe_decode"),
)
# Values python-liquid's filters already read as Studio does.
AS_IS = frozenset({str, int, float})


def as_text(value: Any, limit: int) -> Any:
    """`value` as a text filter should read it: texts and numbers unchanged, and a missing
    value too (the filters already read it as nothing, or as their default)."""
    if type(value) in AS_IS or isinstance(value, Undefined):
        return value
    return studio_text(value, limit)


def reading_text(original: Callable[..., Any], limit: int) -> Callable[..., Any]:
    """`original` with its input and positional arguments read as Studio's text."""

    @wraps(original)  # keeps python-liquid's markers (with_environment, …)
    def text_filter(value: Any, *args: Any, **kwargs: Any) -> Any:
        return original(as_text(value, limit), *(as_text(arg, limit) for arg in args), **kwargs)

    return text_filter


def reading_items(original: Callable[..., Any], limit: int) -> Callable[..., Any]:
    """`join` with each item read as Studio's text (its separator too)."""

    @wraps(original)
    def join(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, list | tuple):
            value = [as_text(item, limit) for item in value]
        return original(value, *(as_text(arg, limit) for arg in args), **kwargs)

    return join


def install(filters: dict[str, Callable[..., Any]], limit: int) -> None:
    """Replace the environment's text filters (those it has) with Studio-reading ones;
    `limit` bounds the text an object or list is read as (the output limit)."""
    for name in TEXT_FILTERS:
        if name in filters:
            filters[name] = reading_text(filters[name], limit)
    if "join" in filters:
        filters["join"] = reading_items(filters["join"], limit)
