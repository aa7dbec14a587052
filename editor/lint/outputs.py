"""Which outputs a widget type writes under widgets.<name>, as the catalogue declares them."""

from __future__ import annotations

from ..flowspec import catalogue


def declared(type_: str, path: str) -> bool | None:
    """True when the type writes `path` (dotted, relative to widgets.<name>), False when it
    never does, None when the catalogue does not say (undocumented types)."""
    ask = getattr(catalogue, "output_declared", None)
    if ask is not None:
        return ask(type_, path)
    outputs = catalogue.OUTPUTS.get(type_)
    if outputs is None:
        return None
    for output in outputs:
        if output.endswith(".") and (path + ".").startswith(output):
            return True
        if path == output or path.startswith(output + "."):
            return True
    return False
