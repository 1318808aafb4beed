"""Load test of the production stack (docs/scaling.md): a department's working day, compressed.

Run through bench/load/run.sh (which starts gunicorn, a Celery worker and beat on PostgreSQL + Redis), or by hand:
    LOAD_ACCOUNTS=/tmp/load-accounts.json locust -f bench/load/locustfile.py --headless -u 50 -r 1 -t 5m \
        --host http://127.0.0.1:8200
Only ever point it at 127.0.0.1. Every request sends X-Forwarded-Proto: https, as the TLS proxy would.

Who is simulated (50 users): 10 coordinators, 2 finance clerks, 2 managers, the rest technicians.
- Everyone signs in through the login page (the password hasher's full cost) and keeps the browser session; the
  coordinators sign out and in again now and then (a shift change), so logins stay in the mix.
- Coordinators keep the dispatch board open: htmx polls /dispatch/board/partial/?v=<version> every 5 s (a 204 when
  nothing changed). About once a minute each takes a call: an intake and a dispatch.
- Technicians think 3–10 s between steps: their task list, the order's page, accept, contact, set off, arrive,
  resolve (half of them with a part).
- Finance opens the receivable ledger, and now and then starts the background export, polls its progress card every
  2 s as the page does, and downloads the workbook.
- Managers read the penalty review, the ledger and the monthly report.
LOAD_THINK=0.1 divides every think time by ten (the board polled every 0.5 s …): a stress run to find the capacity.
"""
import itertools
import json
import os
import random
import re
from datetime import datetime, timedelta, timezone

from collections import Counter

import gevent
from locust import HttpUser, between, constant, events, task

ACCOUNTS = json.load(open(os.environ.get("LOAD_ACCOUNTS", "/tmp/load-accounts.json")))
PASSWORD = ACCOUNTS["password"]
_coord = itertools.cycle(ACCOUNTS["coordinators"])
_tech = itertools.cycle(ACCOUNTS["technicians"])
_finance = itertools.cycle(ACCOUNTS["finance"])
_manager = itertools.cycle(ACCOUNTS["managers"])
TZ = timezone(timedelta(hours=8))
# LOAD_THINK scales every think time (1 = the realistic day above; 0.1 = ten times busier, to find the capacity)
THINK = float(os.environ.get("LOAD_THINK", "1"))
VERSION = re.compile(r'board/partial/\?v=([^"&]+)"')
ATTEMPTS = Counter()  # requests started per name: a request cut off when the run stops is done but never reported


@events.quitting.add_listener
def _write_attempts(**_kw):
    if os.environ.get("LOAD_ATTEMPTS"):
        json.dump(ATTEMPTS, open(os.environ["LOAD_ATTEMPTS"], "w"))


JOB = re.compile(r"#job-(\d+)")
ASSIGN = re.compile(r'action="/dispatch/board/(\d+)/assign/".*?name="version" value="(\d+)"', re.S)


def now_iso(delta_minutes=0):
    return (datetime.now(TZ) + timedelta(minutes=delta_minutes)).isoformat(timespec="microseconds")


class _Person(HttpUser):
    """A browser: the session and CSRF cookies are Secure (production profile) and the load runs over plain HTTP
    behind a pretend TLS proxy, so they are kept here and sent by hand."""

    abstract = True
    accounts = None

    def on_start(self):
        self.account = next(self.accounts)
        self.jar = {}
        self.login()

    # ------------------------------------------------------------------ plumbing
    def _headers(self, extra=None):
        h = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans", "Origin": self.host.replace("http://", "https://")}
        h["Referer"] = h["Origin"] + "/"
        if "csrftoken" in self.jar:
            h["X-CSRFToken"] = self.jar["csrftoken"]
        return {**h, **(extra or {})}

    def _keep(self, response):
        for r in (*response.history, response):
            for c in r.cookies:
                self.jar[c.name] = c.value

    def page(self, url, name, **kw):
        """GET a page; anything but 2xx/204 is a failure (a 302 to the login page included)."""
        ATTEMPTS[name] += 1
        with self.client.get(url, headers=self._headers(kw.pop("headers", None)), cookies=self.jar, name=name,
                             allow_redirects=False, catch_response=True, **kw) as r:
            self._keep(r)
            if r.status_code >= 300:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')} {r.text[:200]}")
            return r

    def form(self, url, data, name, expect=302):
        ATTEMPTS[name] += 1
        data = {"csrfmiddlewaretoken": self.jar.get("csrftoken", ""), **data}
        with self.client.post(url, data=data, headers=self._headers(), cookies=self.jar, name=name,
                              allow_redirects=False, catch_response=True) as r:
            self._keep(r)
            if r.status_code != expect:
                r.failure(f"{r.status_code} {r.text[:300]}")
            return r

    def api(self, url, body, name):
        ATTEMPTS[name] += 1
        headers = {"Authorization": f"Token {self.account['token']}", "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
        with self.client.post(url, json=body, headers=headers, name=name, catch_response=True) as r:
            if r.status_code >= 400:
                r.failure(f"{r.status_code} {r.text[:300]}")
            return r

    def api_get(self, url, name):
        headers = {"Authorization": f"Token {self.account['token']}", "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
        with self.client.get(url, headers=headers, name=name, catch_response=True) as r:
            if r.status_code >= 400:
                r.failure(f"{r.status_code} {r.text[:300]}")
            return r

    def login(self):
        self.jar = {}
        self.page("/accounts/login/", "login page")
        r = self.form("/accounts/login/", {"username": self.account["username"], "password": PASSWORD}, "login")
        if r.status_code == 302 and "sessionid" not in self.jar:
            r.failure("no session after login")


class Coordinator(_Person):
    fixed_count = 10
    accounts = _coord
    wait_time = constant(5 * THINK)  # htmx's poll interval on the board

    def on_start(self):
        super().on_start()
        self.open_board()

    def open_board(self):
        r = self.page("/dispatch/board/", "board page")
        m = VERSION.search(r.text or "")
        self.version = m.group(1) if m else ""

    @task(12)
    def poll(self):
        r = self.page(f"/dispatch/board/partial/?v={self.version}", "board poll", headers={"HX-Request": "true"})
        if r.status_code == 200:
            m = VERSION.search(r.text)
            self.version = m.group(1) if m else self.version

    @task(1)
    def take_a_call(self):
        """The intake page, as the coordinator types a call in (R-W1), then the assignment from the board (R-W8 over
        the limit confirmed at once). Each coordinator takes its own clients' calls, so it finds its order's row."""
        where = random.choice(self.account["sites"])
        self.page("/dispatch/intake/", "intake page")
        required = (datetime.now(TZ) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
        r = self.form("/dispatch/intake/", {
            "client": where["client"], "site": where["site"], "contact_name": "王先生", "contact_phone": "13912345678",
            "quantity": "1", "content": random.choice(["repair", "install", "maintenance", "software"]),
            "channel": "phone", "service_mode": "mobile", "description": "压测:打印机卡纸", "required_at": required,
            "cooperation_chargeable": "",
        }, "intake")
        if r.status_code != 302:
            return
        board = self.page("/dispatch/board/", "board page")
        for row in (board.text or "").split("<tr>"):
            m = ASSIGN.search(row)
            if m and where["name"] in row:
                tech = random.choice(ACCOUNTS["technicians"])
                self.form(f"/dispatch/board/{m.group(1)}/assign/",
                          {"version": m.group(2), "technician": tech["id"], "force": "on"}, "dispatch")
                return

    @task(1)
    def shift_change(self):
        if random.random() < 0.25:  # about every 5 minutes per coordinator
            self.form("/accounts/logout/", {}, "logout")
            self.login()
            self.open_board()


class Technician(_Person):
    weight = 1
    accounts = _tech
    wait_time = between(3 * THINK, 10 * THINK)

    @task
    def work_the_queue(self):
        self.page("/dispatch/my/", "my work page")
        r = self.api_get("/api/work-orders/?status=dispatched", "my dispatched")
        if r.status_code != 200 or not r.json()["results"]:
            return
        wo = r.json()["results"][0]["id"]
        self.wait()
        self.page(f"/dispatch/my/{wo}/", "order page")
        base = f"/api/work-orders/{wo}"
        for step, body in (("accept", {}), ("contact", {"promised_at": now_iso(20)}), ("depart", {}), ("arrive", {})):
            if self.api(f"{base}/{step}/", body, step).status_code != 200:
                return
            self.wait()
        start = now_iso(0)
        self.api(f"{base}/resolve/", {
            "work_done": "更换搓纸轮,测试打印正常", "fault_cause": "搓纸轮老化", "advice": "定期清洁",
            "lines": [{"kind": "part", "item": "other", "description": "搓纸轮", "cost": "200.00", "quantity": 1}]
            if random.random() < 0.5 else [],
            "started_at": start, "ended_at": now_iso(0), "completed_at": now_iso(0), "signature_name": "王先生",
        }, "resolve")


class Finance(_Person):
    fixed_count = 2
    accounts = _finance
    wait_time = between(10 * THINK, 30 * THINK)

    @task(4)
    def ledger(self):
        self.page("/receivables/ledger/", "ledger page")

    @task(1)
    def export(self):
        r = self.form("/receivables/ledger/export/", {}, "export start")
        m = JOB.search(r.headers.get("Location", ""))
        if not m:
            return
        job = m.group(1)
        for _ in range(150):  # the progress card polls every 2 s; give up after 5 minutes
            gevent.sleep(2)
            card = self.page(f"/receivables/exports/{job}/", "export progress")
            if f"/exports/{job}/download/" in (card.text or ""):
                self.page(f"/receivables/exports/{job}/download/", "export download")
                return


class Manager(_Person):
    fixed_count = 2
    accounts = _manager
    wait_time = between(5 * THINK, 15 * THINK)

    @task
    def review(self):
        self.page(random.choice(["/penalties/", "/receivables/ledger/", "/reports/", "/"]), "manager pages")
