from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = "Studio editor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Flow sockets close when their session stops signing the user in.
        from .consumers.sessions import connect_signals

        connect_signals()
