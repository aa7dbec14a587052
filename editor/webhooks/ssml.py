"""SSML in a Say's text, as TwiML carries it: elements inside <Say>, not escaped text.

Studio's Say/Play and Gather take SSML in "Text to say" (`<emphasis level="strong">Thanks
for calling!</emphasis>`, `<break time="1s"/>`), and Twilio reads SSML only as elements
nested in <Say> (the SDK's Ssml* nouns). Written as text, the markup would be escaped and
spoken, or dropped. A text that is well-formed XML made only of the SSML elements Twilio
takes is nested as such; anything else ("a < b", an unknown tag) stays plain text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from twilio.twiml import GenericNode, TwiML

# The SSML elements Twilio takes inside <Say>: twilio/twiml/voice_response.py's Ssml* nouns.
TAGS = frozenset(
    {"break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w"}
)


# Deeper SSML than any voice needs is read as plain text: `nest` and the TwiML writer
# recurse once per level.
MAX_DEPTH = 32


def markup(text: str) -> ET.Element | None:
    """The text as a <Say> element holding SSML, or None when it is plain text."""
    if "<" not in text:
        return None
    try:
        # The text sits inside an element, where no DOCTYPE (hence no entity of its own)
        # can appear: only XML's five predefined entities are read.
        root = ET.fromstring(f"<Say>{text}</Say>")  # noqa: S314
    except ET.ParseError:
        return None
    inner = list(root.iter())[1:]
    if not inner or any(element.tag not in TAGS for element in inner):
        return None
    return root if depth(root) <= MAX_DEPTH else None


def depth(root: ET.Element) -> int:
    """How deep the elements nest (a loop, not recursion: the text is the flow author's)."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


def nest(parent: TwiML, element: ET.Element) -> None:
    """The element's text, children (with their attributes) and tails, under `parent`."""
    if element.text:
        parent.nest(element.text)
    for child in element:
        node = GenericNode(child.tag, None)
        node.attrs = dict(child.attrib)  # as written: `say-as interpret-as`, `xml:lang`
        nest(node, child)
        parent.nest(node)
        if child.tail:
            parent.nest(child.tail)
