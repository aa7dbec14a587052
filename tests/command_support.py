"""Running a management command in a test, as the tests of the commands do: what it wrote to
stdout and to stderr, with text given as its stdin."""

from __future__ import annotations

import io

from django.core.management import call_command


def run(*args, stdin=None, **options):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()
