"""Print the Twilio CLI calls that send a conversation's (or an address's) messages to a
flow here: a conversation-scoped webhook, or an Address Configuration that creates a
conversation, with that webhook, for each new contact (docs/channels.md)."""

from __future__ import annotations

import shlex
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor.models import Flow


def webhook_url(flow: Flow, base: str) -> str:
    return f"{base.rstrip('/')}/v1/Accounts/{flow.team.account_sid}/Flows/{flow.sid}"


def conversation_webhook(conversation: str, url: str, service: str = "") -> list[str]:
    # ReplayAfter=0 replays the message that came before the webhook existed. A conversation
    # of a service other than the default one is only found under that service's path
    # (/v1/Services/IS…/Conversations/CH…/Webhooks), hence the CLI's `services:` command.
    scoped = ["twilio api:conversations:v1:conversations:webhooks:create"]
    if service:
        scoped = [
            "twilio api:conversations:v1:services:conversations:webhooks:create",
            f"--chat-service-sid {service}",
        ]
    return [
        *scoped,
        f"--conversation-sid {conversation}",
        "--target webhook",
        f"--configuration.url {shlex.quote(url)}",
        "--configuration.method POST",
        "--configuration.filters onMessageAdded onDeliveryUpdated",
        "--configuration.replay-after 0",
    ]


def address_configuration(address: str, kind: str, url: str, service: str) -> list[str]:
    lines = [
        "twilio api:conversations:v1:configuration:addresses:create",
        f"--type {kind}",
        f"--address {shlex.quote(address)}",
        "--auto-creation.enabled",
        "--auto-creation.type webhook",
        f"--auto-creation.webhook-url {shlex.quote(url)}",
        "--auto-creation.webhook-method POST",
        "--auto-creation.webhook-filters onMessageAdded onDeliveryUpdated",
    ]
    if service:
        lines.append(f"--auto-creation.conversation-service-sid {service}")
    return lines


class Command(BaseCommand):
    help = "Print the twilio CLI calls that wire a conversation or an address to a flow."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sid", metavar="FW…", help="the flow's SID")
        parser.add_argument("--conversation", metavar="CH…", help="an existing conversation")
        parser.add_argument("--address", help="a number or sender, e.g. +15551234567")
        parser.add_argument("--type", default="sms", help="the address's type (sms, whatsapp…)")
        parser.add_argument("--service", default="", metavar="IS…", help="Conversations service")
        parser.add_argument(
            "--base-url",
            default="",
            help="this server's public URL (default: TWILIO_WEBHOOK_BASE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        flow = Flow.objects.select_related("team").filter(sid=options["sid"]).first()
        if flow is None:
            raise CommandError(f"no flow {options['sid']!r}")
        base = options["base_url"] or getattr(settings, "TWILIO_WEBHOOK_BASE_URL", "")
        if not base:
            raise CommandError("give --base-url or set TWILIO_WEBHOOK_BASE_URL")
        if not (options["conversation"] or options["address"]):
            raise CommandError("give --conversation CH… or --address")
        url = webhook_url(flow, base)
        calls = []
        if options["conversation"]:
            calls.append(conversation_webhook(options["conversation"], url, options["service"]))
        if options["address"]:
            calls.append(
                address_configuration(options["address"], options["type"], url, options["service"])
            )
        self.stdout.write("\n\n".join(" \\\n  ".join(lines) for lines in calls))
