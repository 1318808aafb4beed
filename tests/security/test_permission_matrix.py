"""House rule 6 (docs/developers.md), in CI: every API endpoint and every page × every role against a DECLARED
table of who may read (GET) and who may write (POST, or PATCH on an API detail route).

The routes come from the URL resolver, so an endpoint added later and not declared here FAILS with a message
saying what to declare (and what it does now). "Denied" means 401/403 (or, for an anonymous visitor of a
page, the redirect to the login page); any other answer — 200, 302 elsewhere, 400, 405, 409 — means the role
got past the permission check. Detail routes are probed with an id that does not exist, so a 404 is accepted
either way (hidden or missing); the role gates in front of the object lookup are what this test pins.

Regenerate the observed table: `MATRIX_DUMP=1 pytest tests/security/test_permission_matrix.py -s`.
"""
import os
import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from servicedesk.choices import Role
from tests.factories import staff_with

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "technician", "coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"]
STAFF = frozenset(ROLES[1:])
NOBODY = frozenset()
MISSING_ID = "999999"
PARAMS = {"pk": MISSING_ID, "id": MISSING_ID, "month": "2026-11", "token": "no-such-token", "step": "check"}
ACTION_PARAM = {  # <str:action> routes: a real action name so the view reaches its permission check
    "dispatch/work-orders/{pk}/desk/{action}/": "close",
    "dispatch/my/{pk}/step/{action}/": "accept",
    "dispatch/resident/{pk}/{action}/": "submit",
    "dispatch/projects/{pk}/{action}/": "complete",
}
# Not part of the role matrix: Django admin (is_staff only), login/logout and the token endpoints
# (tests/security/test_login.py), language switch, the API docs
# (tests/security/test_hardening.py), format-suffix duplicates of API routes.
EXEMPT = re.compile(r"^(admin/|accounts/|i18n/|api/auth/|api/(schema|docs|redoc)/|api/$)")


def R(read, write=None):
    return {"read": frozenset(read) if read is not None else None, "write": frozenset(write) if write is not None else None}


DESK = {"coordinator", "manager"}

# route → who may read (GET) / write (POST, or PATCH on API detail routes); None = the route has no such method.
EVERYONE = frozenset(ROLES)  # public links (the client's rating/survey pages)
# Generated with MATRIX_DUMP=1 on the landed code, then reviewed. Detail routes ({pk}) list the roles that get
# past the role gate (for the others: 403, or 404 where the object lookup comes first).
DECLARED: dict[str, dict] = {
    "": R(STAFF, STAFF),
    "core/work-orders/": R(STAFF, STAFF),
    "core/work-orders/{pk}/": R(STAFF, STAFF),
    # photos and documents: the order's visibility decides (404 for an order one may not see), then the service
    "core/work-orders/{pk}/attachments/": R(None, STAFF),
    "core/attachments/{pk}/": R(STAFF, None),
    "core/attachments/{pk}/thumbnail/": R(STAFF, None),
    "core/attachments/{pk}/remove/": R(None, STAFF),
    "core/parameters/": R({"manager", "admin"}, {"manager"}),
    "core/calendar/": R({"manager", "admin"}, {"manager", "admin"}),
    "core/notifications/": R(STAFF, STAFF),
    "core/sessions/": R(STAFF, STAFF),  # own sessions: everyone; a technician's: the manager (tests/core/test_sessions.py)
    "core/masterdata/": R({"admin"}, {"admin"}),
    "core/masterdata/confirm/": R({"admin"}, {"admin"}),
    "core/masterdata/jobs/{pk}/": R({"admin"}, None),  # one's own import jobs (another admin: 404)
    "core/masterdata/jobs/{pk}/status/": R({"admin"}, None),
    "core/masterdata/template/": R({"admin"}, None),
    "core/masterdata/export/": R({"admin"}, None),
    "api/clients/": R(STAFF, {"coordinator", "manager", "admin"}),
    "api/clients/{pk}/": R(STAFF, {"coordinator", "manager", "admin"}),
    "api/sites/": R(STAFF, {"coordinator", "manager", "admin"}),
    "api/sites/{pk}/": R(STAFF, {"coordinator", "manager", "admin"}),
    "api/equipment/": R(STAFF, {"coordinator", "manager", "admin"}),
    "api/equipment/{pk}/": R(STAFF, {"coordinator", "manager", "admin"}),
    "api/staff/": R(STAFF, {"manager", "admin"}),
    "api/staff/{pk}/": R(STAFF, {"manager", "admin"}),
    "api/staff/{pk}/set-password/": R(None, STAFF),
    "api/work-orders/": R(STAFF, DESK),
    "api/work-orders/{pk}/": R(STAFF, None),
    "api/work-orders/{pk}/attachments/": R(STAFF, STAFF),
    "api/attachments/{pk}/remove/": R(None, STAFF),
    "api/parameters/": R({"manager", "admin"}, {"manager", "admin"}),  # the service decides by name: security.* admin, the rest manager
    "favicon.ico": R(EVERYONE, None),  # a redirect to the static icon; nothing to write
    "r/{token}/": R(EVERYONE, EVERYONE),  # 404 for all: ['read', 'write']
    "s/{token}/": R(EVERYONE, EVERYONE),  # 404 for all: ['read']
    # the client's own page: the signed link decides (404 for a bad link, whoever asks), never a staff role
    "c/{token}/": R(EVERYONE, EVERYONE),
    "c/{token}/confirmations/{pk}.pdf": R(EVERYONE, EVERYONE),
    "c/{token}/statements/{pk}.pdf": R(EVERYONE, EVERYONE),
    "c/{token}/visits/{pk}/service-form.pdf": R(EVERYONE, EVERYONE),
    "portal/links/": R(DESK, DESK),
    "portal/intake/": R(DESK, DESK),
    "portal/intake/{pk}/photo/": R(DESK, DESK),
    "messaging/outbox/": R({"manager"}, {"manager"}),
    "messaging/templates/": R({"manager"}, {"manager"}),
    "messaging/templates/{key}/": R({"manager"}, {"manager"}),
    "messaging/contacts/": R(DESK, DESK),
    "messaging/contacts/{pk}/": R(DESK, DESK),
    "messaging/my-channel/": R(STAFF, STAFF),  # one's own channel
    "api/work-orders/{pk}/accept/": R(None, STAFF),
    "api/work-orders/{pk}/arrive/": R(None, STAFF),
    "api/work-orders/{pk}/ask-consent/": R(None, STAFF),
    "api/work-orders/{pk}/cancel/": R(None, DESK),
    "api/work-orders/{pk}/client-answer/": R(None, STAFF),
    "api/work-orders/{pk}/client-chase/": R(None, DESK),
    "api/work-orders/{pk}/close/": R(None, DESK),
    "api/work-orders/{pk}/contact/": R(None, STAFF),
    "api/work-orders/{pk}/depart/": R(None, STAFF),
    "api/work-orders/{pk}/diagnose/": R(None, STAFF),
    "api/work-orders/{pk}/dispatch/": R(None, DESK),
    "api/work-orders/{pk}/finish-testing/": R(None, STAFF),
    "api/work-orders/{pk}/handover/": R(None, STAFF),
    "api/work-orders/{pk}/mark-irregular/": R(None, STAFF),
    "api/work-orders/{pk}/refuse/": R(None, STAFF),
    "api/work-orders/{pk}/resolve/": R(None, STAFF),
    "api/work-orders/{pk}/return-device/": R(None, DESK),
    "api/work-orders/{pk}/start-repair/": R(None, STAFF),
    "api/work-orders/{pk}/start-testing/": R(None, STAFF),
    "api/work-orders/{pk}/service-form/pdf/": R(STAFF, None),  # 404 unless one may see the order (rule 6)
    "api/refusals/": R(DESK, None),
    "api/refusals/{pk}/": R(DESK, None),
    "api/refusals/{pk}/judge/": R(None, DESK),
    "api/resident-reports/": R(STAFF, STAFF),
    "api/resident-reports/{pk}/": R(STAFF, None),
    "api/resident-reports/{pk}/approve/": R(None, STAFF),
    "api/resident-reports/{pk}/archive/": R(None, STAFF),
    "api/resident-reports/{pk}/rating-link/": R(None, STAFF),
    "api/resident-reports/{pk}/return/": R(None, STAFF),
    "api/resident-reports/{pk}/submit/": R(None, STAFF),
    "api/resident-reports/{pk}/pdf/": R(STAFF, None),
    "api/projects/": R(STAFF, DESK),  # R-R5: manager or coordinator creates (an empty body is a 400, not a 500)
    "api/projects/{pk}/": R(STAFF, None),
    "api/projects/{pk}/complete/": R(None, STAFF),
    "api/projects/{pk}/daily-reports/": R(STAFF, STAFF),
    "api/projects/{pk}/summary/": R(None, STAFF),
    "api/projects/{pk}/work-records/": R(None, STAFF),
    "api/maintenance-contracts/": R({"coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"}, DESK),
    "api/maintenance-contracts/{pk}/": R({"coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"}, None),
    "dispatch/board/": R(DESK, DESK),
    "dispatch/board/partial/": R(DESK, DESK),
    "dispatch/board/{pk}/assign/": R(NOBODY, DESK),
    "dispatch/refusals/{pk}/judge/": R(NOBODY, DESK),
    "dispatch/intake/": R(DESK, DESK),
    "dispatch/intake/lookup/": R(DESK, DESK),
    "dispatch/intake/pick/": R(DESK, DESK),
    "dispatch/work-orders/{pk}/irregular/": R(NOBODY, DESK),
    "dispatch/work-orders/{pk}/desk/{action}/": R(NOBODY, DESK),
    "dispatch/my/": R(STAFF, STAFF),
    "dispatch/my/{pk}/": R(STAFF, STAFF),
    "dispatch/my/{pk}/step/{action}/": R(NOBODY, STAFF),
    "dispatch/my/{pk}/refuse/": R(STAFF, STAFF),
    "dispatch/my/{pk}/handover/": R(STAFF, STAFF),
    "dispatch/my/{pk}/close-out/": R(STAFF, STAFF),
    "dispatch/my/{pk}/quote/": R(NOBODY, STAFF),
    "dispatch/work-orders/{pk}/service-form/": R(STAFF, STAFF),
    "dispatch/work-orders/{pk}/service-form/pdf/": R(STAFF, STAFF),
    "dispatch/resident/": R({"manager", "gm_office", "supervisor", "admin"}, {"manager", "gm_office", "supervisor", "admin"}),
    "dispatch/resident/{pk}/": R(STAFF, STAFF),
    "dispatch/resident/{pk}/print/": R(STAFF, STAFF),
    "dispatch/resident/{pk}/pdf/": R(STAFF, STAFF),
    "dispatch/resident/{pk}/{action}/": R(NOBODY, STAFF),
    "dispatch/resident/my/": R(STAFF, STAFF),
    "dispatch/resident/my/{month}/": R(STAFF, STAFF),
    "dispatch/resident/attendance/": R(NOBODY, NOBODY),
    "dispatch/resident/evaluation/": R({"technician", "manager", "supervisor", "admin"}, {"technician", "manager", "supervisor", "admin"}),
    "dispatch/resident/documents/": R({"manager", "gm_office", "supervisor", "admin"}, {"manager", "gm_office", "supervisor", "admin"}),
    "dispatch/projects/": R(STAFF, STAFF),
    "dispatch/projects/new/": R(DESK, DESK),
    "dispatch/projects/{pk}/": R(STAFF, STAFF),
    "dispatch/projects/{pk}/{action}/": R(NOBODY, STAFF),
    "dispatch/contracts/": R({"coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"}, {"coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"}),
    "dispatch/contracts/new/": R(DESK, DESK),
    "dispatch/contracts/{pk}/": R({"coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"}, {"coordinator", "finance", "sales", "manager", "gm_office", "supervisor", "admin"}),
    "api/billing/quote-preview/": R(None, {"technician", "coordinator", "finance", "sales", "manager"}),
    "api/billing/charges/": R({"technician", "coordinator", "finance", "sales", "manager"}, None),
    "api/billing/charges/{pk}/": R({"technician", "coordinator", "finance", "sales", "manager"}, None),
    "api/billing/charges/{pk}/decide/": R(None, {"technician", "coordinator", "finance", "sales", "manager"}),
    "api/billing/charges/{pk}/dispute/": R(None, {"technician", "coordinator", "finance", "sales", "manager"}),
    "api/billing/repair-plans/": R({"coordinator", "finance", "sales", "manager"}, None),
    "api/billing/repair-plans/{pk}/": R({"coordinator", "finance", "sales", "manager"}, None),
    "api/billing/repair-plans/{pk}/decide/": R(None, {"sales", "manager"}),
    "billing/": R({"sales", "manager"}, {"sales", "manager"}),
    "billing/parameters/": R({"manager"}, {"manager"}),
    "billing/charges/{pk}/dispute/": R(NOBODY, STAFF),
    "billing/charges/{pk}/decide/": R(NOBODY, STAFF),
    "billing/repair-plans/{pk}/decide/": R(NOBODY, STAFF),
    "api/penalties/offences/": R(STAFF, {"coordinator", "manager", "supervisor"}),
    "api/penalties/dismissal-flags/": R({"manager"}, None),
    "api/penalties/dismissal-flags/{pk}/": R({"manager"}, None),
    "api/penalties/dismissal-flags/{pk}/decide/": R(None, {"manager"}),
    "api/penalties/": R(STAFF, None),
    "api/penalties/bulk-confirm/": R(None, {"manager", "gm_office"}),  # GM office: proposals about a manager (P8)
    "api/penalties/monthly-totals/": R(STAFF, None),
    "api/penalties/{pk}/": R(STAFF, None),
    "api/penalties/{pk}/change/": R(None, {"manager", "gm_office"}),  # GM office: proposals about a manager (P8)
    "api/penalties/{pk}/confirm/": R(None, {"manager", "gm_office"}),  # GM office: proposals about a manager (P8)
    "api/penalties/{pk}/reject/": R(None, {"manager", "gm_office"}),  # GM office: proposals about a manager (P8)
    "api/penalties/{pk}/withdraw/": R(None, {"manager", "gm_office"}),  # GM office: proposals about a manager (P8)
    "penalties/": R({"manager", "gm_office"}, {"manager", "gm_office"}),  # GM office: proposals about a manager (P8)
    "penalties/mine/": R(STAFF, STAFF),
    "penalties/people/{pk}/": R(STAFF, STAFF),
    "penalties/offences/new/": R({"coordinator", "manager", "supervisor"}, {"coordinator", "manager", "supervisor"}),
    "penalties/offences/mine/": R(STAFF, STAFF),
    "penalties/offences/{pk}/": R(STAFF, STAFF),
    "penalties/offences/{pk}/photo/": R(STAFF, STAFF),  # past the role gate: the record's own rule (404 to others)
    "api/callbacks/complaints/": R({"coordinator", "manager", "gm_office"}, DESK),
    "api/callbacks/complaints/{pk}/": R({"coordinator", "manager", "gm_office"}, None),
    "api/callbacks/complaints/{pk}/confirm/": R(None, DESK),
    "api/callbacks/complaints/{pk}/reply/": R(None, DESK),
    "api/callbacks/complaints/{pk}/decide/": R(None, {"manager"}),  # R-K10: the manager decides whose it is
    "api/callbacks/": R(DESK, None),
    "api/callbacks/figures/": R(DESK, None),
    "api/callbacks/{pk}/": R(DESK, None),
    "api/callbacks/{pk}/record/": R(None, DESK),
    "callbacks/": R(DESK, DESK),
    "callbacks/{pk}/": R(DESK, DESK),
    "callbacks/figures/": R(DESK, DESK),
    "callbacks/complaints/": R({"manager"}, {"manager"}),
    "callbacks/mine/": R({"technician"}, {"technician"}),  # the callbacks about the technician's own visits
    "callbacks/complaints/new/": R(DESK, DESK),
    "callbacks/complaints/{pk}/": R(STAFF, STAFF),
    "api/receivables/confirmations/": R(STAFF, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/register/": R(None, DESK),
    "api/receivables/confirmations/{pk}/": R(STAFF, None),
    "api/receivables/confirmations/{pk}/collect/": R(None, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/{pk}/record-in-ledger/": R(None, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/{pk}/record-signatures/": R(None, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/{pk}/request-extension/": R(None, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/{pk}/sign-client/": R(None, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/{pk}/sign-technician/": R(None, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/confirmations/{pk}/pdf/": R(STAFF, None),
    "api/receivables/extensions/": R({"coordinator", "finance", "manager", "gm_office"}, None),
    "api/receivables/extensions/{pk}/": R({"coordinator", "finance", "manager", "gm_office"}, None),
    "api/receivables/extensions/{pk}/approve/": R(None, {"manager", "gm_office"}),
    "api/receivables/extensions/{pk}/reject/": R(None, {"manager", "gm_office"}),
    "api/receivables/payments/": R(STAFF, {"technician", "coordinator", "finance", "manager"}),
    "api/receivables/payments/import/": R(None, {"finance"}),
    "api/receivables/payments/{pk}/": R(STAFF, None),
    "api/receivables/statements/": R({"coordinator", "finance", "sales", "manager", "gm_office"}, None),
    "api/receivables/statements/compile/": R(None, {"coordinator", "finance", "manager"}),
    "api/receivables/statements/{pk}/": R({"coordinator", "finance", "sales", "manager", "gm_office"}, None),
    "api/receivables/statements/{pk}/check/": R(None, {"finance"}),
    "api/receivables/statements/{pk}/review/": R(None, {"manager"}),
    "api/receivables/statements/{pk}/send/": R(None, {"coordinator", "finance", "manager"}),
    "api/receivables/statements/{pk}/pdf/": R({"coordinator", "finance", "sales", "manager", "gm_office"}, None),
    "api/receivables/ledger/": R({"technician", "coordinator", "finance", "sales", "manager", "gm_office", "admin"}, None),
    "api/receivables/overdue-items/": R({"finance", "sales", "manager", "gm_office"}, None),
    "api/receivables/overdue-items/{pk}/note/": R(None, {"manager"}),
    "receivables/ledger/": R({"finance", "manager"}, {"finance", "manager"}),
    "receivables/ledger/export/": R({"finance", "manager"}, {"finance", "manager"}),
    "receivables/exports/{pk}/": R({"finance", "manager"}, {"finance", "manager"}),
    "receivables/exports/{pk}/download/": R({"finance", "manager"}, {"finance", "manager"}),
    "receivables/import/": R({"finance"}, {"finance"}),
    "receivables/import/template/": R({"finance"}, {"finance"}),
    "receivables/imports/{pk}/": R({"finance"}, {"finance"}),
    "receivables/payments/new/": R({"finance", "manager"}, {"finance", "manager"}),
    "receivables/payments/import/": R({"finance"}, {"finance"}),
    "receivables/payments/import/template/": R({"finance"}, {"finance"}),
    "receivables/my-ledger/": R({"technician"}, {"technician"}),
    "receivables/sales/new/": R({"technician"}, {"technician"}),
    "receivables/sales/{pk}/": R({"technician"}, {"technician"}),
    "receivables/sales/{pk}/sign/": R(NOBODY, {"technician"}),
    "receivables/sales/{pk}/collect/": R(NOBODY, {"technician"}),
    "receivables/sales/{pk}/extension/": R(NOBODY, {"technician"}),
    "receivables/confirmations/{pk}/": R(STAFF, STAFF),
    "receivables/confirmations/{pk}/pdf/": R(STAFF, STAFF),
    "receivables/register/": R(DESK, DESK),
    "receivables/reconciliation/": R(DESK, DESK),
    "receivables/statements/": R({"coordinator", "finance", "manager"}, {"coordinator", "finance", "manager"}),
    "receivables/statements/{pk}/": R({"coordinator", "finance", "manager"}, {"coordinator", "finance", "manager"}),
    "receivables/statements/{pk}/export/": R({"coordinator", "finance", "manager"}, {"coordinator", "finance", "manager"}),
    "receivables/statements/{pk}/pdf/": R({"coordinator", "finance", "manager"}, {"coordinator", "finance", "manager"}),  # others: 404
    "receivables/statements/{pk}/{step}/": R(NOBODY, {"coordinator", "finance", "manager"}),
    "receivables/extensions/": R({"manager", "gm_office"}, {"manager", "gm_office"}),
    "receivables/overdue-review/": R({"manager"}, {"manager"}),
    "api/bonuses/months/{month}/compile/": R(None, {"manager"}),
    "api/bonuses/ranking/": R({"finance", "manager", "admin"}, None),
    "api/bonuses/awards/": R(STAFF, None),
    "api/bonuses/statements/": R(STAFF, None),
    "api/bonuses/statements/approve-month/": R(None, {"manager"}),
    "api/bonuses/statements/{pk}/": R(STAFF, None),
    "api/bonuses/statements/{pk}/approve/": R(None, {"manager"}),
    "api/bonuses/statements/{pk}/archive/": R(None, {"admin"}),
    "bonuses/": R({"finance", "manager", "admin"}, {"manager"}),
    "bonuses/mine/": R(STAFF, STAFF),
    "bonuses/archive/": R({"finance", "manager", "admin"}, {"admin"}),
    "bonuses/statements/{pk}/": R(STAFF, STAFF),
    "bonuses/{month}/export.xlsx": R({"finance", "manager", "admin"}, {"finance", "manager", "admin"}),
    # admin reads approved months only (R-T2 "archived for admin"); the probed month is a draft or absent
    "api/reports/monthly/{month}/": R({"manager", "gm_office"}, None),
    "api/reports/monthly/{month}/compile/": R(None, {"manager"}),
    "api/reports/monthly/{month}/approve/": R(None, {"manager"}),
    "api/reports/monthly/{month}/export/": R({"manager", "gm_office"}, None),
    "reports/": R({"manager", "gm_office"}, {"manager", "gm_office"}),
    "reports/compile/": R(NOBODY, {"manager"}),
    "reports/approve/": R(NOBODY, {"manager"}),
    "reports/export/{month}/": R({"manager", "gm_office"}, {"manager", "gm_office"}),
    "reports/archive/": R({"manager", "gm_office", "admin"}, {"manager", "gm_office", "admin"}),
    "reports/archive/{month}/": R({"manager", "gm_office", "admin"}, {"manager", "gm_office", "admin"}),
    "reports/my/": R(STAFF, STAFF),
}


def route_key(route: str) -> str:
    key = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    key = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", key)
    return key.replace("^", "").replace("$", "")


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def routes():
    """(key, url, read_method, write_method) for every routed view outside EXEMPT."""
    seen = {}
    for route, pattern in walk(get_resolver().url_patterns):
        if "format" in pattern.pattern.regex.groupindex or EXEMPT.match(route.replace("^", "")):
            continue
        key = route_key(route)
        if key in seen or EXEMPT.match(key):
            continue
        url = "/" + key
        for name in re.findall(r"{(\w+)}", key):
            url = url.replace("{" + name + "}", ACTION_PARAM.get(key, "accept") if name == "action" else PARAMS.get(name, MISSING_ID))
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        if actions is not None:  # DRF viewset route
            read = "get" if "get" in actions else None
            write = next((m for m in ("post", "patch", "put") if m in actions), None)
        else:
            cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            if cls is not None:
                names = {m for m in ("get", "post", "put", "patch") if hasattr(cls, m)}
                if "get" in names and getattr(cls, "http_method_names", None):
                    names &= set(cls.http_method_names)
                read = "get" if "get" in names else None
                write = next((m for m in ("post", "patch", "put") if m in names), None)
            else:  # a function view: probe both, 405 counts as "no such method"
                read, write = "get", "post"
        seen[key] = (key, url, read, write)
    return list(seen.values())


def denied(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302):
        return response.get("Location", "").split("?")[0].endswith(str(settings.LOGIN_URL).strip("/") + "/") or \
            "/accounts/login/" in response.get("Location", "")
    return False


def probe(client, url, method):
    """'allow', 'deny', 'hidden' (404: cannot tell), 'error' (5xx), or None (405: no such method)."""
    kwargs = {"format": "json"} if url.startswith("/api/") and method != "get" else {}
    response = getattr(client, method)(url, {}, **kwargs) if method != "get" else client.get(url)
    if response.status_code == 405:
        return None
    if response.status_code >= 500:
        return "error"
    if response.status_code == 404:
        return "hidden"
    return "deny" if denied(response) else "allow"


@pytest.fixture
def clients(db, settings, tmp_path):
    settings.API_THROTTLE_ENABLED = False
    settings.AXES_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    out = {"anonymous": APIClient(raise_request_exception=False)}
    for role in ROLES[1:]:
        staff = staff_with(role, name=f"{role}-人")
        client = APIClient(raise_request_exception=False)  # a 500 is a finding, reported with the rest
        client.force_login(staff.user)  # session: the pages and the API alike
        out[role] = client
    return out


def _observe(clients):
    observed = {}
    for key, url, read, write in routes():
        row = {}
        for kind, method in (("read", read), ("write", write)):
            if method is None:
                row[kind] = None
                continue
            results = {role: probe(clients[role], url, method) for role in ROLES}
            if all(r is None for r in results.values()):
                row[kind] = None
                continue
            row[kind] = results
        observed[key] = row
    return observed


def _fmt(roles) -> str:
    return "None" if roles is None else "{" + ", ".join(f'"{r}"' for r in ROLES if r in roles) + "}"


def test_every_route_and_role_matches_the_declared_table(clients):
    observed = _observe(clients)
    if os.environ.get("MATRIX_DUMP"):
        for key, row in observed.items():
            # past the role gate: allowed, or 404 for a missing object where others were refused
            allowed = {kind: (None if res is None else {r for r, v in res.items() if v in ("allow", "hidden")}) for kind, res in row.items()}
            hidden = [k for k, res in row.items() if res is not None and all(v == "hidden" for v in res.values())]
            note = f"  # 404 for all: {hidden}" if hidden else ""
            print(f'    "{key}": R({_fmt(allowed["read"])}, {_fmt(allowed["write"])}),{note}')
    problems = []
    for key, row in observed.items():
        if key not in DECLARED:
            allow = {k: (None if v is None else [r for r in ROLES if v[r] != "deny"]) for k, v in row.items()}
            problems.append(
                f"UNDECLARED {key}: add it to DECLARED in tests/security/test_permission_matrix.py "
                f"(now: read {allow['read']}, write {allow['write']})"
            )
            continue
        for kind in ("read", "write"):
            results, declared = row[kind], DECLARED[key][kind]
            if results is None:
                continue
            declared = declared or NOBODY
            for role, outcome in results.items():
                if outcome == "error":
                    problems.append(f"{key} [{kind}]: {role} got a server error (500) on an empty request")
                    continue
                if outcome == "hidden" or outcome is None:
                    continue
                if (outcome == "allow") != (role in declared):
                    verb = "may" if outcome == "allow" else "may not"
                    problems.append(f"{key} [{kind}]: {role} {verb} — declared {_fmt(declared)}")
    for key in sorted(set(DECLARED) - set(observed)):
        problems.append(f"STALE {key}: declared but no longer routed; remove it from DECLARED")
    assert not problems, f"{len(problems)} permission mismatch(es):\n" + "\n".join(problems)


def test_the_table_covers_every_role_name():
    assert set(ROLES[1:]) <= set(Role.values)
