"""Load test of the production stack (docs/scaling.md): coordinators and technicians dispatching and closing at once.

Run through bench/load/run.sh (which starts gunicorn, a Celery worker and beat on PostgreSQL + Redis), or by hand:
    LOAD_ACCOUNTS=/tmp/load-accounts.json locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 5m \
        --host http://127.0.0.1:8200
Only ever point it at 127.0.0.1. Every request sends X-Forwarded-Proto: https, as the TLS proxy would.
"""
import itertools
import json
import os
import random
from datetime import datetime, timedelta, timezone

from locust import HttpUser, between, task

ACCOUNTS = json.load(open(os.environ.get("LOAD_ACCOUNTS", "/tmp/load-accounts.json")))
_coord = itertools.cycle(ACCOUNTS["coordinators"])
_tech = itertools.cycle(ACCOUNTS["technicians"])
TZ = timezone(timedelta(hours=8))


def now_iso(delta_minutes=0):
    return (datetime.now(TZ) + timedelta(minutes=delta_minutes)).isoformat(timespec="microseconds")


class _Api(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)

    def headers(self):
        return {"Authorization": f"Token {self.account['token']}", "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}

    def post(self, url, body, name):
        with self.client.post(url, json=body, headers=self.headers(), name=name, catch_response=True) as r:
            if r.status_code >= 400:
                r.failure(f"{r.status_code} {r.text[:300]}")
            return r


class Coordinator(_Api):
    weight = 1

    def on_start(self):
        self.account = next(_coord)

    @task(3)
    def intake_and_dispatch(self):
        where = random.choice(ACCOUNTS["sites"])
        r = self.post("/api/work-orders/", {
            "client": where["client"], "site": where["site"], "contact_name": "王先生", "contact_phone": "13912345678",
            "content": random.choice(["repair", "install", "maintenance", "software"]), "service_mode": "mobile",
            "channel": "phone", "description": "压测:打印机卡纸", "required_at": now_iso(30),
        }, "intake")
        if r.status_code != 201:
            return
        tech = random.choice(ACCOUNTS["technicians"])
        self.post(f"/api/work-orders/{r.json()['id']}/dispatch/", {"technician": tech["id"], "force": True}, "dispatch")

    @task(1)
    def board(self):
        self.client.get("/api/work-orders/?status=new", headers=self.headers(), name="list new")


class Technician(_Api):
    weight = 4

    def on_start(self):
        self.account = next(_tech)

    @task
    def work_the_queue(self):
        r = self.client.get("/api/work-orders/?status=dispatched", headers=self.headers(), name="my dispatched")
        if r.status_code != 200 or not r.json()["results"]:
            return
        wo = r.json()["results"][0]["id"]
        base = f"/api/work-orders/{wo}"
        for step, body in (("accept", {}), ("contact", {"promised_at": now_iso(20)}), ("depart", {}), ("arrive", {})):
            if self.post(f"{base}/{step}/", body, step).status_code != 200:
                return
        start = now_iso(0)
        self.post(f"{base}/resolve/", {
            "work_done": "更换搓纸轮,测试打印正常", "fault_cause": "搓纸轮老化", "advice": "定期清洁",
            "lines": [{"kind": "part", "item": "other", "description": "搓纸轮", "cost": "200.00", "quantity": 1}]
            if random.random() < 0.5 else [],
            "started_at": start, "ended_at": now_iso(0), "completed_at": now_iso(0), "signature_name": "王先生",
        }, "resolve")
