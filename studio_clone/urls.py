from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from editor.signin import AdminSignInForm

# The admin's login counts failures with the site's own (editor/signin.py).
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers and crawlers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("", include("editor.api.urls")),
    # Twilio's webhooks at each flow's Webhook URL (docs/channels.md).
    path("", include("editor.webhooks.urls")),
    path("", include("editor.urls")),
]

# Errors raised outside the views (middleware, URL resolving): JSON under /v2/.
handler400 = "editor.api.errors.bad_request"
handler500 = "editor.api.errors.server_error"
