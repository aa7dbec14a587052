from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("editor.api.urls")),
    path("", include("editor.urls")),
]

# Errors raised outside the views (middleware, URL resolving): JSON under /v2/.
handler400 = "editor.api.errors.bad_request"
handler500 = "editor.api.errors.server_error"
