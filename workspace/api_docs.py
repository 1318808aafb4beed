"""Redoc (/api/redoc/) under the Content-Security-Policy (docs/deployment.md): the sidecar's bundle draws a footer logo
from Redocly's CDN, which the policy refuses (images from our origin only, front-end assets vendored). The bundle is
served here with that one address replaced by our own icon; the file in drf-spectacular-sidecar stays as shipped."""
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@lru_cache(maxsize=2)
def _bundle(logo_url: str) -> bytes:
    text = Path(finders.find(BUNDLE)).read_text(encoding="utf-8")
    return text.replace(CDN_LOGO, logo_url).encode("utf-8")


@require_GET
@cache_control(public=True, max_age=3600)
def redoc_bundle(request):
    return HttpResponse(_bundle(static("servicedesk/favicon.svg")), content_type="application/javascript; charset=utf-8")
