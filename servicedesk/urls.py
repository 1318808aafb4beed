from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views

# Each app owns its `urls.py` (pages) and `api_urls.py` (REST, under /api/).
APPS = ["dispatch", "billing", "penalties", "callbacks", "receivables", "bonuses", "reports"]


def _optional(module: str):
    import importlib

    try:
        return importlib.import_module(module).urlpatterns
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return []


urlpatterns = [
    path("", views.home, name="home"),
    # pages that carry no <link rel=icon> (printouts, the API docs, a bare file) still find the icon
    path("favicon.ico", RedirectView.as_view(url=static("servicedesk/favicon.svg"), permanent=True)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("core/", include("servicedesk.urls_pages")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/", include("servicedesk.urls_api")),
]
# issue 11: the clients' signed links (no account): /r/<token>/ resident report rating (R-R3), /s/<token>/ project survey (R-R5).
urlpatterns += [path("", include("dispatch.resident.public_urls"))]
for app in APPS:
    urlpatterns += [path("api/", include(_optional(f"{app}.api_urls")))]
    urlpatterns += [path(f"{app}/", include((_optional(f"{app}.urls"), app)))]

admin.site.site_header = _("客服部工作平台 · 后台管理")
admin.site.site_title = "servicedesk"
