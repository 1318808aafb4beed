"""The site's URLs (ROOT_URLCONF): the home page, sign-in, the admin and the API reference, then every app's pages
(under /<app>/) and REST API (under /api/), each named here."""
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from servicedesk import language
from servicedesk import views as core_views
from servicedesk.auth import LoginForm

from . import api_docs, views

urlpatterns = [
    path("", views.home, name="home"),
    # pages that carry no <link rel=icon> (printouts, the API docs, a bare file) still find the icon
    path("favicon.ico", core_views.favicon),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # the language picker; for a signed-in person it also saves the preferred language (rule 7)
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("core/", include("servicedesk.urls_pages")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file (?script): the Content-Security-Policy allows no inline script
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    # Redoc builds its search index in a worker made from a blob: URL; allowed on this page only
    path("api/redoc/", csp_update({"worker-src": ["'self'", "blob:"]})(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
    path("api/redoc/redoc.standalone.js", api_docs.redoc_bundle, name="redoc-bundle"),
    path("api/", include("servicedesk.urls_api")),
    # the clients' signed links (no account): /r/<token>/ resident report rating (R-R3), /s/<token>/ project survey (R-R5)
    path("", include("dispatch.resident.public_urls")),
    # the client's own page (signed, revocable link per site contact): /c/<token>/
    path("", include("portal.public_urls")),
    # each app: its REST API under /api/ (`api_urls.py`), its pages under /<app>/ (`urls.py`, namespace = the app)
    path("api/", include("dispatch.api_urls")),
    path("dispatch/", include(("dispatch.urls", "dispatch"))),
    path("api/", include("billing.api_urls")),
    path("billing/", include(("billing.urls", "billing"))),
    path("api/", include("penalties.api_urls")),
    path("penalties/", include(("penalties.urls", "penalties"))),
    path("api/", include("callbacks.api_urls")),
    path("callbacks/", include(("callbacks.urls", "callbacks"))),
    path("api/", include("receivables.api_urls")),
    path("receivables/", include(("receivables.urls", "receivables"))),
    path("api/", include("bonuses.api_urls")),
    path("bonuses/", include(("bonuses.urls", "bonuses"))),
    path("api/", include("reports.api_urls")),
    path("reports/", include(("reports.urls", "reports"))),
    path("portal/", include(("portal.urls", "portal"))),
    path("messaging/", include(("messaging.urls", "messaging"))),
]

admin.site.site_header = _("客服部工作平台 · 后台管理")
admin.site.site_title = "servicedesk"

# Django's error answers: JSON in the API's error shape under /api/, the HTML pages elsewhere
handler400 = "servicedesk.api_errors.bad_request"
handler403 = "servicedesk.api_errors.forbidden"
handler404 = "servicedesk.api_errors.not_found"
handler500 = "servicedesk.api_errors.server_error"
