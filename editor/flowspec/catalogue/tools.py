"""Tools & Execute Code: widgets that call code outside the flow.

Run Subflow, Make HTTP Request, Run Function (and the undocumented v2) and TwiML
Redirect, as Studio's widget library groups them.
"""

from __future__ import annotations

from .. import outputs as out
from .base import CONTENT_TYPES, HTTP_METHODS, KV, RAW, B, E, S, WidgetType

RUN_SUBFLOW = WidgetType(
    "run-subflow",
    "Run Subflow",
    "tools",
    ("completed", "failed"),
    "subflow_",
    (
        RAW(
            "flow_sid",
            "",
            required=True,
            label="Subflow",
            help="One of the team's flows (its FW… SID).",
            offers="flows",
        ),
        RAW(
            "flow_revision",
            "LatestPublished",
            required=True,
            label="Revision",
            help="LatestPublished, LatestDraft or a revision number.",
            suggested=(("LatestPublished", "Latest published"), ("LatestDraft", "Latest draft")),
        ),
        KV("parameters", []),
    ),
    description="Run another flow inside this execution.",
    outputs=out.ANY,
)

MAKE_HTTP_REQUEST = WidgetType(
    "make-http-request",
    "Make HTTP Request",
    "tools",
    ("success", "failed"),
    "http_",
    (
        E("method", HTTP_METHODS, "GET", label="Request method"),
        E(
            "content_type",
            CONTENT_TYPES,
            "application/x-www-form-urlencoded;charset=utf-8",
            label="Content type",
        ),
        S("url", "", required=True, label="Request URL"),
        S("body", multiline=True, label="Request body"),
        KV("parameters", label="HTTP parameters"),
        B("add_twilio_auth", label="Authenticate with Twilio"),
    ),
    event_labels={"success": "Success", "failed": "Fail"},
    description="Call a web service; JSON objects are parsed into widgets.NAME.parsed.",
    outputs=out.HTTP,
)

RUN_FUNCTION = WidgetType(
    "run-function",
    "Run Function",
    "tools",
    ("success", "fail"),
    "function_",
    (
        S("url", "", required=True, label="Function URL"),
        RAW("service_sid", "", label="Service"),
        RAW("environment_sid", "", label="Environment"),
        RAW("function_sid", "", label="Function"),
        KV("parameters", [], label="Function parameters"),
    ),
    description="Run a function and use its response.",
    outputs=out.FUNCTION,
)

RUN_FUNCTION_V2 = WidgetType(
    "run-function-v2",
    "Run Function (v2)",
    "tools",
    (),
    "function_",
    palette=False,
    documented=False,
)

ADD_TWIML_REDIRECT = WidgetType(
    "add-twiml-redirect",
    "TwiML Redirect",
    "tools",
    ("return", "timeout", "fail"),
    "redirect_",
    (
        S("url", "", required=True, label="URL"),
        E("method", HTTP_METHODS, "POST"),
        RAW(
            "timeout",
            "14400",
            also=("integer",),
            help="0-14400 s; 0 never returns.",
            duration="seconds",
        ),
    ),
    description="Hand the call or message to TwiML at a URL; it may return.",
    outputs=(*out.CALL, *out.ANY),
)
