"""The flow's Webhook URL, as Twilio's Studio has it (`/v1/Accounts/{AC}/Flows/{FW}`), and
the callback URL of each voice verb an execution is waiting on."""

from __future__ import annotations

from django.urls import re_path

from . import views

FLOW = r"^v1/Accounts/(?P<account_sid>AC[0-9a-fA-F]{32})/Flows/(?P<flow_sid>FW[0-9a-fA-F]{32})"

urlpatterns = [
    re_path(FLOW + r"$", views.flow_webhook, name="flow_webhook"),
    re_path(
        FLOW + r"/Executions/(?P<execution_sid>FN[0-9a-fA-F]{32})/Callback$",
        views.execution_callback,
        name="execution_callback",
    ),
    re_path(
        FLOW + r"/Executions/(?P<execution_sid>FN[0-9a-fA-F]{32})/MessageStatus$",
        views.message_status,
        name="message_status",
    ),
]
