"""Repair rows that hold NaN or Infinity: before input was checked (flowspec/jsontext.py),
`1e999`, `NaN` and `Infinity` could be stored, and every later read of such a row failed.

Each one becomes `null`. Only those tokens change: the rest of the text stays byte for byte
as it was (key order, spacing, number spelling), so nothing else about a flow moves. The
function is self-contained on purpose: a migration must not depend on code that changes.
"""

import json
import math
import re

from django.db import migrations

# Where JSON text is kept: (model, columns).
COLUMNS = (
    ("Flow", ("head", "errors", "test_users")),
    ("Widget", ("properties", "offset", "transitions", "extra")),
    ("FlowRevision", ("definition", "errors")),
    ("Execution", ("state",)),
    ("ExecutionStep", ("context",)),
)
# Strings are matched first so that "NaN" inside one is left alone.
TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<constant>-?Infinity|NaN)"
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)",
    re.DOTALL,
)


def refuse(literal):
    raise ValueError(literal)


def finite(literal):
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(literal)
    return value


def replace(match):
    if match.group("constant"):
        return "null"
    number = match.group("number")
    if number and not math.isfinite(float(number)):
        return "null"
    return match.group(0)


def repaired(text):
    """The text with every non-finite number replaced by null; None when nothing changed
    or when the text is not JSON even then (left alone rather than guessed at)."""
    fixed = TOKEN.sub(replace, text)
    if fixed == text:
        return None
    try:
        json.loads(fixed, parse_float=finite, parse_constant=refuse)
    except (ValueError, RecursionError):
        return None
    return fixed


def repair_rows(apps, connection):
    quote = connection.ops.quote_name
    for model_name, fields in COLUMNS:
        meta = apps.get_model("editor", model_name)._meta
        table, key = quote(meta.db_table), quote(meta.pk.column)
        for field in fields:
            column = quote(meta.get_field(field).column)
            # Python writes non-finite floats as NaN, Infinity or -Infinity: only rows
            # holding those words can need a repair.
            where = f"{column} LIKE %s OR {column} LIKE %s"
            select = f"SELECT {key}, {column} FROM {table} WHERE {where}"
            update = f"UPDATE {table} SET {column} = %s WHERE {key} = %s"
            with connection.cursor() as cursor:
                cursor.execute(select, ["%NaN%", "%Infinity%"])
                found = cursor.fetchall()
                for pk, text in found:
                    fixed = repaired(text) if text else None
                    if fixed is not None:
                        cursor.execute(update, [fixed, pk])


def repair(apps, schema_editor):
    repair_rows(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("editor", "0006_auth_throttle"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop, elidable=True),
    ]
