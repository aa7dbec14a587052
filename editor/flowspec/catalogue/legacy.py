"""Legacy: types older flows still carry that Studio no longer offers and nobody
documents. They only import and export, kept verbatim; never in the widget library.
"""

from __future__ import annotations

from .base import WidgetType

LEGACY: tuple[WidgetType, ...] = tuple(
    WidgetType(type_, label, "legacy", (), prefix, palette=False, documented=False)
    for type_, label, prefix in (
        ("add-member-to-chat-channel", "Add Member To Chat Channel", "add_member_"),
        ("create-chat-channel", "Create Chat Channel", "create_channel_"),
        ("create-task", "Create Task", "create_task_"),
        ("understand", "Understand", "understand_"),
        ("update-sync-object", "Update Sync Object", "update_sync_"),
    )
)
