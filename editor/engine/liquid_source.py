"""Template source, read in linear time: the checks made before a parse, and the lexer.

python-liquid's lexer backtracks: `{{` followed by 16,000 spaces took 43 s to lex, and a run of
`{{` that are never closed 140 s, so a flow definition alone could hold a validation worker.
Its expression tokenizer looks ahead from every `(` for a `..` and from every `['` for the
closing quote, which is quadratic in the length of one tag. This module gives the environment
a lexer whose regular expression cannot backtrack that way, and refuses, before parsing, the
few shapes that stay costly: very long templates, templates with many or long tags, openers that
are never closed (rescanned to the end each time) and tags whose look-aheads add up.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import partial

from liquid.exceptions import ResourceLimitError
from liquid.lex import _tokenize_template, compile_liquid_rules
from liquid.token import Token

MAX_SOURCE = 64 * 1024  # characters; plain text is cheap to parse, tags are not
MAX_TAGS = 500  # `{{ … }}` and `{% … %}` per template (Studio's templates use a handful)
# Characters inside `{{ … }}` and `{% … %}`, where parsing costs a few µs each (the lines of
# a `{% liquid %}` tag are all inside one tag).
MAX_MARKUP = 8 * 1024
# Characters python-liquid may scan again and again on one template: a few template lengths.
MAX_RESCAN = 4 * 16 * 1024


class SourceRefused(ResourceLimitError):
    """The template is refused before it is parsed: parsing it would cost too much."""

    def __init__(self, message: str, *, token: Token | None = None) -> None:
        super().__init__(message, token=token)


# The lexer's `{{ … }}` and `{% name … %}` rules, made linear. python-liquid's rules let
# whitespace be split between `\s*` and the statement in every possible way before they fail,
# and keep a backtracking point per character of the statement (280 bytes each). Here the
# statement is read as runs of non-space and runs of space that something other than the
# closing delimiter follows, without going back: the same text, trimmed the same way (a
# differential test compares both lexers' tokens on many inputs).
_STATEMENT = r"(?:(?:(?!-?{close})\S)++|\s++(?=(?!-?{close})\S))*+"
_LINEAR = (
    (
        r"\{\{-?\s*(?P<stmt>(?:(?!-?\}\})[\s\S])*(?<!\s))",
        r"\{\{-?(?:\s++(?=(?!-?\}\})\S))?(?P<stmt>" + _STATEMENT.format(close=r"\}\}") + ")",
    ),
    (
        r"\{%-?\s*(?P<name>#|\w+)\s*(?P<expr>(?:(?!-?%\})[\s\S])*(?<!\s))",
        r"\{%-?\s*+(?P<name>#|\w++)(?:\s++(?=(?!-?%\})\S))?(?P<expr>"
        + _STATEMENT.format(close=r"%\}")
        + ")",
    ),
)


def linear_rules() -> re.Pattern[str]:
    rules = compile_liquid_rules()
    pattern = rules.pattern
    for backtracking, linear in _LINEAR:
        if pattern.count(backtracking) != 1:
            raise RuntimeError("python-liquid's lexer rules changed; review liquid_source.py")
        pattern = pattern.replace(backtracking, linear)
    return re.compile(pattern, rules.flags)


# python-liquid keeps its token loop private; only its regular expression is replaced.
tokenize: Callable[[str], Iterator[Token]] = partial(_tokenize_template, rules=linear_rules())


def markup_spans(source: str) -> Iterator[tuple[int, int]]:
    """Where `{{ … }}` and `{% … %}` are, exactly as `re.finditer(r"{{.*?}}|{%.*?%}", DOTALL)`
    finds them, in linear time: an opener that is never closed is given up on once."""
    closers = {"{{": "}}", "{%": "%}"}
    pending = {kind: source.find(kind) for kind in closers}
    pos = 0
    while True:
        for kind in closers:
            if 0 <= pending[kind] < pos:
                pending[kind] = source.find(kind, pos)
        found = [p for p in pending.values() if p >= 0]
        if not found:
            return
        start = min(found)
        kind = source[start : start + 2]
        end = source.find(closers[kind], start + 2)
        if end < 0:
            pending[kind] = -1  # no later opener of this kind can close either
            pos = start + 1
            continue
        yield start, end + 2
        pos = end + 2


RAW_OPEN = re.compile(r"\{%-?\s*(raw|doc)\s*-?%\}")
RAW_CLOSE = {"raw": re.compile(r"\{%-?\s*endraw"), "doc": re.compile(r"\{%-?\s*enddoc")}
RANGE_OPEN = re.compile(r"\(")
RANGE_DOTS = re.compile(r"\.\.")
QUOTED_INDEX = re.compile(r"\[\s*(['\"])")
INDEX_CLOSE = {quote: re.compile(quote + r"(?=\s*\])") for quote in "'\""}


def refusal(source: str) -> str | None:
    """Why `source` is not parsed at all, in plain words, or None when it may be parsed."""
    if len(source) > MAX_SOURCE:
        return (
            f"the template is {len(source):,} characters long; this server parses templates "
            f"of at most {MAX_SOURCE:,} characters: shorten it or split it across widgets"
        )
    tags = source.count("{{") + source.count("{%")
    if tags > MAX_TAGS:
        return (
            f"the template has {tags} tags; templates here may use at most {MAX_TAGS} in one "
            "template: split it across widgets"
        )
    markup = sum(end - start for start, end in markup_spans(source))
    if markup > MAX_MARKUP:
        return (
            f"the template's tags hold {markup:,} characters; this server parses at most "
            f"{MAX_MARKUP:,} characters of tags in one template: simplify the tags or split them "
            "across widgets"
        )
    if rescanning(source) + lookahead(source) > MAX_RESCAN:
        return (
            "the template has too many unclosed {{, {% or {% raw %}, or too many ( and [ inside "
            "one tag; close every tag and keep each tag short"
        )
    return None


def rescanning(source: str) -> int:
    """Characters the lexer reads again because an opener is never closed: from every such
    opener it reads on to the end of the template before taking the opener as text."""
    total = 0
    for opener, closer in (("{{", "}}"), ("{%", "%}")):
        last = source.rfind(closer)
        p = source.find(opener, max(last - 1, 0))
        while p >= 0:
            if p + 2 > last:
                total += len(source) - p
            p = source.find(opener, p + 1)
    last_close = {kind: -1 for kind in RAW_CLOSE}
    for kind, close in RAW_CLOSE.items():
        for match in close.finditer(source):
            last_close[kind] = match.start()
    for match in RAW_OPEN.finditer(source):
        if last_close[match.group(1)] < match.end():
            total += len(source) - match.start()
    return total


def lookahead(source: str) -> int:
    """Characters python-liquid's expression tokenizer looks ahead over, inside each tag: from
    every `(` to the next `..`, and from every `['` to a closing `']`."""
    total = 0
    for start, end in markup_spans(source):
        total += distances(RANGE_OPEN, RANGE_DOTS, source, start, end)
        for quote, close in INDEX_CLOSE.items():
            opens = (m for m in QUOTED_INDEX.finditer(source, start, end) if m.group(1) == quote)
            total += distances(opens, close, source, start, end)
    return total


def distances(
    opens: re.Pattern[str] | Iterator[re.Match[str]],
    closes: re.Pattern[str],
    source: str,
    start: int,
    end: int,
) -> int:
    """The sum, over the opening matches, of the distance to the next closing match (or to
    `end`), with each list found once so the sum itself costs linear time."""
    found = opens.finditer(source, start, end) if isinstance(opens, re.Pattern) else opens
    targets = [m.start() for m in closes.finditer(source, start, end)]
    total = 0
    for match in found:
        k = bisect_left(targets, match.end())
        total += (targets[k] if k < len(targets) else end) - match.start()
    return total
