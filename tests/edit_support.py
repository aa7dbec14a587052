"""Canvas edits in tests: operations applied to a flow's working copy at its current version
(or at an older base, as a client that has not seen the latest edit sends them), and the
working copy's widgets by name."""

from __future__ import annotations

from editor import services


def edit(flow, *ops, user=None, base=None):
    flow.refresh_from_db()
    return services.apply_edit(
        flow, base_version=flow.version if base is None else base, ops=list(ops), user=user
    )


def states(flow):
    return {s["name"]: s for s in services.export_flow(flow)["states"]}
