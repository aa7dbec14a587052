"""Everything in the Django admin; JSON columns are read-only there (edit flows on the canvas)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import (
    ApiKey,
    Execution,
    ExecutionStep,
    Flow,
    FlowRevision,
    Membership,
    OutboundRequest,
    Profile,
    Team,
    TwilioConnection,
    Widget,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "account_sid", "date_created")
    search_fields = ("name", "slug", "account_sid")
    readonly_fields = ("account_sid",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role")
    list_filter = ("role",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "sid")
    readonly_fields = ("sid",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("sid", "friendly_name", "team", "created_by", "date_created", "last_used")
    readonly_fields = ("sid", "secret_hash", "date_created", "last_used")


@admin.register(TwilioConnection)
class TwilioConnectionAdmin(admin.ModelAdmin):
    """Read-only: connections are set on the team page, where Twilio checks them."""

    list_display = ("team", "account_sid", "api_key_sid", "date_checked")
    exclude = ("auth_token_encrypted", "api_key_secret_encrypted")
    readonly_fields = [
        f.name for f in TwilioConnection._meta.fields if not f.name.endswith("_encrypted")
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False


class WidgetInline(admin.TabularInline):
    model = Widget
    extra = 0
    fields = ("position", "name", "type")
    readonly_fields = ("position", "name", "type")
    show_change_link = True


@admin.register(Flow)
class FlowAdmin(admin.ModelAdmin):
    list_display = ("friendly_name", "sid", "team", "status", "revision", "valid", "date_updated")
    list_filter = ("status", "valid", "team")
    search_fields = ("friendly_name", "sid")
    readonly_fields = ("sid", "revision", "status", "valid", "errors", "head", "test_users")
    inlines = [WidgetInline]


@admin.register(Widget)
class WidgetAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "flow", "position")
    search_fields = ("name", "flow__sid")
    readonly_fields = ("properties", "offset", "transitions", "extra")


@admin.register(FlowRevision)
class FlowRevisionAdmin(admin.ModelAdmin):
    list_display = ("flow", "revision", "status", "valid", "author", "date_created")
    list_filter = ("status", "valid")
    readonly_fields = [f.name for f in FlowRevision._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


class ExecutionStepInline(admin.TabularInline):
    model = ExecutionStep
    extra = 0
    fields = ("position", "name", "transitioned_from", "transitioned_to", "type")
    readonly_fields = fields
    can_delete = False


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):
    list_display = ("sid", "flow", "contact_channel_address", "status", "ended_reason")
    list_filter = ("status", "trigger", "ended_reason")
    search_fields = ("sid", "contact_channel_address", "flow__sid")
    readonly_fields = [f.name for f in Execution._meta.fields]
    inlines = [ExecutionStepInline]


@admin.register(ExecutionStep)
class ExecutionStepAdmin(admin.ModelAdmin):
    list_display = ("sid", "execution", "position", "name", "transitioned_from", "transitioned_to")
    search_fields = ("sid", "execution__sid")
    readonly_fields = [f.name for f in ExecutionStep._meta.fields]


@admin.register(OutboundRequest)
class OutboundRequestAdmin(admin.ModelAdmin):
    """The outbox (services/outbox.py): what was sent to Twilio, or why not."""

    list_display = ("id", "execution", "widget", "kind", "status", "attempts", "twilio_sid")
    list_filter = ("status", "kind")
    search_fields = ("twilio_sid", "execution__sid")
    readonly_fields = [f.name for f in OutboundRequest._meta.fields]
