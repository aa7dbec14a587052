"""Which outputs a widget type writes under widgets.<name>, as the catalogue declares them
(`WidgetType.outputs`, editor/flowspec/outputs.py)."""

from __future__ import annotations

from ..flowspec.catalogue import output_declared


def declared(type_: str, segments: tuple) -> bool | None:
    """True when the type writes the path (segments relative to widgets.<name>), False when
    it never does, None when the catalogue cannot say (undocumented types)."""
    path = "".join(f"[{s}]" if isinstance(s, int) else f'["{s}"]' for s in segments)
    return output_declared(type_, path)
