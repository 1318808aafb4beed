"""The Content-Security-Policy (docs/deployment.md): every page carries it, in every profile, and no template of ours
holds code the policy would refuse — an inline <script>, an on…= handler attribute, a javascript: URL, htmx's hx-on or
an hx-trigger filter (evaluated code). The browser side is tests/journeys/test_csp.py."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db


def _policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def our_templates() -> list[Path]:
    """Every template in the repository: templates/ and each app's templates/ (the virtualenv's packages excluded)."""
    found = []
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts:
            continue
        found += sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt"))
    return found


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
HX_ON = re.compile(r"\shx-on(:|-|=)", re.I)
HX_FILTER = re.compile(r"""hx-trigger\s*=\s*["'][^"']*\[""", re.I)


def _offences(text: str) -> list[str]:
    found = []
    for m in SCRIPT_TAG.finditer(text):
        attrs = m.group(1)
        if not re.search(r"\bsrc\s*=", attrs) and not re.search(r"""type\s*=\s*["']application/(ld\+)?json["']""", attrs):
            found.append("inline <script>")
    found += ["on…= handler: " + m.group(0)[-40:] for m in HANDLER.finditer(text)]
    found += ["javascript: URL" for _ in JS_URL.finditer(text)]
    found += ["hx-on attribute" for _ in HX_ON.finditer(text)]
    found += ["hx-trigger filter (evaluated code)" for _ in HX_FILTER.finditer(text)]
    return found


def test_the_check_finds_each_kind_of_inline_code():
    """The scanner below is not blind: each form the policy refuses is caught, a script file and JSON data are not."""
    assert _offences('<script>alert(1)</script>') == ["inline <script>"]
    assert _offences('<script type="module">x()</script>') == ["inline <script>"]
    assert _offences('<button class="btn"\n  onclick="window.print()">') == ['on…= handler: <button class="btn"\n  onclick=']
    assert _offences('<select id="s" onChange = "go()">') and _offences('<a href="javascript:history.back()">')
    assert _offences('<div hx-on:click="x()">') and _offences('<div hx-on::after-request="x()">')
    assert _offences('<div hx-trigger="every 5s [ok()]">')
    assert _offences('<script src="/static/a.js" defer></script><script type="application/json" id="d">{}</script>') == []
    assert _offences('<div hx-trigger="every 5s" data-poll><p>Monday = 1; button=2</p>') == []


def test_no_template_holds_inline_code():
    templates = our_templates()
    assert len(templates) > 100  # templates/ and the apps' own folders were found
    bad = {str(p.relative_to(ROOT)): found for p in templates if (found := _offences(p.read_text(encoding="utf-8")))}
    assert bad == {}


def test_every_page_carries_the_policy(technician):
    browser = Client()
    for path in ["/accounts/login/", "/api/docs/", "/api/redoc/"]:
        policy = _policy(browser.get(path)["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # style="" attributes stay allowed
        assert policy["default-src"] == ["'self'"]
    browser.force_login(technician.user)
    assert browser.get("/").status_code == 200
    assert "script-src 'self';" in browser.get("/")["Content-Security-Policy"] + ";"
    # a 404 page too (the error pages extend base.html and load the same script files)
    assert "Content-Security-Policy" in browser.get("/core/no-such-page/")


def test_api_docs_load_their_scripts_from_files():
    """Swagger UI's start-up script is a file (?script), Redoc's page has no inline script nor any other host's fonts."""
    browser = Client()
    docs = browser.get("/api/docs/").content.decode()
    assert _offences(docs) == [] and '<script src="/api/docs/?script=">' in docs
    script = browser.get("/api/docs/?script=")
    assert script["Content-Type"] == "application/javascript" and b"SwaggerUIBundle" in script.content
    redoc = browser.get("/api/redoc/").content.decode()
    assert _offences(redoc) == [] and "<redoc spec-url=" in redoc
    assert "googleapis" not in redoc and "https://" not in redoc
    assert "worker-src" not in browser.get("/api/docs/")["Content-Security-Policy"]
    assert _policy(browser.get("/api/redoc/")["Content-Security-Policy"])["worker-src"] == ["'self'", "blob:"]  # its search
    bundle = browser.get("/api/redoc/redoc.standalone.js")  # the sidecar's, its footer logo from our origin
    assert bundle.status_code == 200 and bundle["Content-Type"].startswith("application/javascript")
    assert b"cdn.redoc.ly" not in bundle.content and b'src:"/static/servicedesk/favicon.svg"' in bundle.content


def test_htmx_runs_without_evaluated_code_or_its_own_style_element(technician):
    browser = Client()
    browser.force_login(technician.user)
    page = browser.get("/").content.decode()
    assert """<meta name="htmx-config" content='{"allowEval": false, "includeIndicatorStyles": false}'>""" in page
    assert '<script src="/static/servicedesk/js/app.js" defer></script>' in page


def _settings_in(env_extra: dict) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    env = {**os.environ, **env_extra, "DJANGO_SETTINGS_MODULE": "servicedesk.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_images_from_the_s3_endpoint_are_allowed_when_media_is_kept_there():
    """A permitted viewer's photo is a redirect to a signed URL on the S3 endpoint: the policy names that origin."""
    s3 = {
        "MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "servicedesk-media", "MEDIA_S3_ENDPOINT_URL": "https://oss.example.cn:9000/",
        "MEDIA_S3_ACCESS_KEY_ID": "AKIDEXAMPLE", "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
    }
    assert _settings_in(s3) == "[\"'self'\", 'data:', 'https://oss.example.cn:9000', 'https://*.oss.example.cn:9000']"
    assert _settings_in({"MEDIA_STORAGE": "filesystem", "CSP_EXTRA_IMG_SRC": "https://img.example.cn"}) == (
        "[\"'self'\", 'data:', 'https://img.example.cn']"
    )
