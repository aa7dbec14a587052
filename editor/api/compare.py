"""The canvas's compare mode: the structural difference between two versions of a flow
(editor/flowspec/compare.py, docs/revisions.md), each named as a revision number,
`published` (the latest published revision) or `draft` (the working copy)."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ..flowspec.compare import compare
from ..models import Flow
from .editor import EditorView
from .errors import BAD_PARAMETER, ApiError

REF = re.compile(r"^(draft|published|[0-9]{1,9})$")
EMPTY: dict[str, Any] = {"states": []}


def side(flow: Flow, ref: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the side is, its document) for one `from`/`to` value."""
    if ref == "draft":
        return {"ref": "draft", "revision": None, "label": "Draft"}, flow.definition()
    if ref == "published":
        found = flow.latest_published()
        if found is None:
            # Never published: everything in the draft is new.
            return {"ref": "published", "revision": None, "label": "Nothing published"}, EMPTY
    else:
        found = flow.revisions.filter(revision=int(ref)).first()
        if found is None:
            raise ApiError(404, 20404, f"Revision {ref} not found")
    label = f"Revision {found.revision}" + (" (published)" if ref == "published" else "")
    return {"ref": ref, "revision": found.revision, "label": label}, found.definition


class DiffView(EditorView):
    @extend_schema(
        operation_id="EditorDiff",
        parameters=[
            OpenApiParameter("from", str, description="revision number, published or draft"),
            OpenApiParameter("to", str, description="revision number, published or draft"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request, sid: str) -> Response:
        flow = self.flow(request, sid)
        refs = []
        for name, default in (("from", "published"), ("to", "draft")):
            value = request.query_params.get(name, default)
            if not REF.match(value):
                raise ApiError(
                    400, BAD_PARAMETER, f"{name} is a revision number, published or draft"
                )
            refs.append(value)
        (old, before), (new, after) = side(flow, refs[0]), side(flow, refs[1])
        return Response(
            {
                "from": old,
                "to": new,
                "before": before,
                "after": after,
                "diff": compare(before, after),
            }
        )
