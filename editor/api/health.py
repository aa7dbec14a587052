"""`GET /healthz`: the process is up and serving requests through Django and DRF.

For load balancers and container orchestrators, which probe without credentials. It answers
the same constant body to everyone and touches neither the database nor the session, so it
reveals nothing (no version, no configuration, no row counts, not even whether the caller's
credentials are good) and stays cheap enough to probe often. It is also the bare endpoint
bench B6 compares the API with: the full middleware stack and DRF, and nothing else.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

HEALTHY = {"status": "ok"}


class HealthView(APIView):
    # No authenticators: a Basic header or a session cookie is never checked, so the answer
    # cannot tell a good credential from a bad one, and no query is made for either.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # No OPTIONS either: DRF would answer it with metadata describing the view.
    http_method_names = ["get", "head"]

    @extend_schema(
        operation_id="Health",
        auth=[],
        responses={200: inline_serializer("Health", {"status": serializers.CharField()})},
    )
    def get(self, request: Request) -> Response:
        return Response(HEALTHY)
