from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = "Studio editor"
    default_auto_field = "django.db.models.BigAutoField"
