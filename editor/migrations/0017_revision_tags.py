"""Revision change tags, backfilled by diffing each flow's consecutive revisions.

Streams the revisions in (flow, revision) order holding two documents at a time and writes
the tags in batches, so memory stays bounded however many revisions there are."""

import editor.fields
from django.db import migrations

BATCH = 500


def backfill(apps, schema_editor):
    from editor.flowspec.compare import change_tags

    FlowRevision = apps.get_model("editor", "FlowRevision")
    rows = (
        FlowRevision.objects.order_by("flow_id", "revision")
        .only("id", "flow_id", "definition")
        .iterator(chunk_size=BATCH)
    )
    previous_flow, previous, pending = None, None, []
    for row in rows:
        before = previous if row.flow_id == previous_flow else None
        row.tags = change_tags(before, row.definition)
        previous_flow, previous = row.flow_id, row.definition
        pending.append(row)
        if len(pending) >= BATCH:
            FlowRevision.objects.bulk_update(pending, ["tags"])
            pending = []
    if pending:
        FlowRevision.objects.bulk_update(pending, ["tags"])


class Migration(migrations.Migration):
    dependencies = [
        ("editor", "0016_conversations_races"),
    ]

    operations = [
        migrations.AddField(
            model_name="flowrevision",
            name="tags",
            field=editor.fields.JSONTextField(default=list),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
