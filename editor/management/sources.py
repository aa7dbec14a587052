"""Where a command reads a Studio flow from: a file, or standard input for `-`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def read_source(name: str, stdin: Any = None) -> bytes | str:
    """The bytes of file `name` (OSError when unreadable), or all of standard input."""
    if name == "-":
        stream = stdin or sys.stdin
        return stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    return Path(name).read_bytes()
