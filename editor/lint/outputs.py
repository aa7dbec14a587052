"""Which outputs a widget type writes under widgets.<name>, as the catalogue declares them
(`WidgetType.outputs`, editor/flowspec/outputs.py)."""

from __future__ import annotations

from ..flowspec.catalogue import output_declared


def declared(type_: str, segments: tuple) -> bool | None:
    """True when the type writes the path (segments relative to widgets.<name>), False when
    it never does, None when the catalogue cannot say (undocumented types)."""
    parts = []
    for s in segments:
        if isinstance(s, int):
            parts.append(f"[{s}]")
        elif '"' not in s:
            parts.append(f'["{s}"]')
        elif "'" not in s:
            parts.append(f"['{s}']")
        else:
            return None  # a key with both quotes: the declared paths cannot name it
    return output_declared(type_, "".join(parts))
