"""Documents as PDF for the client's paper (service form, sales confirmation, monthly statement, resident
report): a template rendered to PDF bytes with WeasyPrint, Chinese by default (rule 7).

WeasyPrint, not ReportLab: the documents are the product's own Django templates and CSS (one layout language,
`{% translate %}`, `|yuan`, `|say`), A4 pages numbered with CSS `@page` counters, and pango/fontconfig embed a
subset of the system's Noto Sans CJK (an OpenType/CFF collection, which ReportLab's TTFont cannot read). It
needs Debian's pango (libpango-1.0-0, libpangoft2-1.0-0) and a CJK font (fonts-noto-cjk); when one is missing the
page says which package to install (503) instead of crashing or printing empty boxes for the Chinese text.

Every document view calls `pdf_response(request, template=…, context=…, filename=…)`; the templates extend
`pdf/base.html`.
"""
import logging
import re
from urllib.parse import quote

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The family every document asks for; fontconfig must resolve it to a font that has Chinese glyphs.
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_PACKAGE = "fonts-noto-cjk"
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
DOCUMENT_LANGUAGES = ("zh-hans", "en")


class PdfUnavailable(Exception):
    """A system part the PDF renderer needs is missing: `what` names it, `install` is the command to fix it."""

    def __init__(self, *, what: str, install: str, detail: str = ""):
        super().__init__(f"{what}: {detail}" if detail else what)
        self.what, self.install, self.detail = what, install, detail

    @property
    def message(self) -> str:
        return _("无法生成 PDF:服务器缺少 %(what)s。请管理员安装后重试:%(install)s") % {"what": self.what, "install": self.install}


def _weasyprint():
    """The WeasyPrint module; its absence (a broken install) or pango's (OSError on import) is reported with
    the package to install, never hidden (rule 5)."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # not a line per rendering step
    try:
        import weasyprint
    except ImportError as exc:  # a declared dependency: reported as a 503 naming it, and logged
        raise PdfUnavailable(what="WeasyPrint (Python)", install="pip install weasyprint", detail=str(exc)) from exc
    except OSError as exc:  # weasyprint loads pango/harfbuzz/fontconfig with dlopen when imported
        raise PdfUnavailable(
            what="pango", install=f"apt-get install {PANGO_PACKAGES}", detail=str(exc)
        ) from exc
    return weasyprint


_found_family = ""


def _cjk_family_found() -> str:
    """The family fontconfig gives for CJK_FAMILY: fontconfig answers a fallback (e.g. DejaVu) when the font is
    not installed, and Chinese would then print as empty boxes. A found font is remembered; a missing one is
    looked for again on the next document, so installing the package needs no restart."""
    global _found_family
    if "CJK" not in _found_family:
        _found_family = _match_family()
    return _found_family


def _match_family() -> str:
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", CJK_FAMILY.encode())
        fontconfig.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return ""
        try:
            family = ffi.new("FcChar8 **")
            if fontconfig.FcPatternGetString(match, b"family", 0, family) != 0:  # FcResultMatch
                return ""
            return ffi.string(family[0]).decode()
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)


def check_available():
    """Raise PdfUnavailable naming what is missing (the library, pango, the CJK font); None when ready."""
    _weasyprint()
    found = _cjk_family_found()
    if "CJK" not in found:
        raise PdfUnavailable(
            what=_("中文字体 %(family)s") % {"family": CJK_FAMILY},
            install=f"apt-get install {CJK_FONT_PACKAGE}",
            detail=f"fontconfig matched {found!r}",
        )


def document_language(request) -> str:
    """The document's language: Chinese (the client's paper) unless the reader asks `?lang=en`."""
    lang = (request.GET.get("lang") or "").lower()
    return lang if lang in DOCUMENT_LANGUAGES else "zh-hans"


def page_counter_css() -> str:
    """The CSS `content` of the page footer in the active language: "第 " counter(page) " 页 / 共 " counter(pages) " 页"."""
    text = _("第 %(page)s 页 / 共 %(pages)s 页")
    parts = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", text):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def render_pdf(*, template: str, context: dict, lang: str = "zh-hans") -> bytes:
    """The template rendered in `lang` as A4 PDF bytes. Raises PdfUnavailable when a system part is missing."""
    check_available()
    weasyprint = _weasyprint()
    with translation.override(lang):
        html = render_to_string(
            template, {**context, "document_lang": lang, "page_counter": page_counter_css(), "cjk_family": CJK_FAMILY}
        )
    from weasyprint.urls import URLFetcher

    # only inline (data:) resources — the drawn signature; a document never fetches a file or a URL (no SSRF)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def pdf_response(request, *, template: str, context: dict, filename: str, api: bool = False) -> HttpResponse:
    """The document as `application/pdf` (shown in the browser, saved under `filename`), or a 503 that names
    the missing system package — a page for a person, `{"detail": …}` for the API."""
    lang = document_language(request)
    try:
        data = render_pdf(template=template, context=context, lang=lang)
    except PdfUnavailable as exc:
        logger.error("PDF renderer unavailable: %s (install: %s)", exc, exc.install)
        if api:
            return JsonResponse({"detail": exc.message}, status=503)
        return render(request, "servicedesk/pdf_unavailable.html", {"error": exc}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    response["Content-Disposition"] = f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- the API's document endpoints
def _api_parts():
    from django.utils.translation import gettext_lazy as _l
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
    from rest_framework.renderers import BaseRenderer, JSONRenderer

    class PdfRenderer(BaseRenderer):
        """Lets a client ask `Accept: application/pdf`; the document itself is returned as an HttpResponse and
        an error (404) rendered by this renderer is its JSON body."""

        media_type = "application/pdf"
        format = "pdf"
        charset = None
        render_style = "binary"

        def render(self, data, accepted_media_type=None, renderer_context=None):
            if isinstance(data, bytes):
                return data
            return JSONRenderer().render(data)

    responses = {
        (200, "application/pdf"): OpenApiTypes.BINARY,
        404: OpenApiResponse(description=_l("不存在或无权查看")),
        503: OpenApiResponse(description=_l("服务器缺少生成 PDF 所需的系统组件(响应中写明需安装的软件包)")),
    }
    parameters = [
        OpenApiParameter("lang", str, enum=list(DOCUMENT_LANGUAGES), required=False,
                         description=_l("文件语言:默认中文(zh-hans),可选 en")),
    ]
    return [JSONRenderer, PdfRenderer], responses, parameters


API_RENDERERS, API_RESPONSES, API_PARAMETERS = _api_parts()
