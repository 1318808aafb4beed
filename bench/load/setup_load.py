"""Prepare the load-test database: migrate, 10 coordinators, 40 technicians, 2 finance clerks, 2 managers (each with
a password for the login page and a token for the API), 20 clients with a site each, and a receivable ledger of
--ledger confirmations (bulk inserts, as bench/export_receivables.py) so finance's export has a month's work to write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest python bench/load/setup_load.py /tmp/load-accounts.json

Run from the root of the code under test (run.sh's CODE): that tree's models are imported.
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

import django  # noqa: E402

django.setup()
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from servicedesk.choices import Role  # noqa: E402
from servicedesk.models import Client, Site, Staff  # noqa: E402

PASSWORD = "load-test-Passw0rd"
HASHED = make_password(PASSWORD)  # once: the server still pays the hasher's full cost at every login


def person(username, name, role, area="高新区"):
    user, _ = User.objects.get_or_create(username=username)
    user.password = HASHED
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    staff, _ = Staff.objects.get_or_create(user=user, defaults={"name": name, "phone": "13800000000", "area": area})
    token, _ = Token.objects.get_or_create(user=user)
    return {"id": staff.pk, "username": username, "token": token.key}


def ledger(n, clients, techs):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from receivables.models import SalesConfirmation

    now = timezone.now()
    start = timezone.localdate() - timedelta(days=330)
    batch = []
    for i in range(n):
        c = clients[i % len(clients)]
        sold = start + timedelta(days=i % 330)
        amount = Decimal(100 + (i % 5000)) + Decimal(i % 100) / 100
        received = amount if i % 4 == 0 else (amount / 2).quantize(Decimal("0.01")) if i % 4 == 1 else Decimal("0.00")
        due = sold + timedelta(days=10)
        batch.append(SalesConfirmation(
            number=f"LOAD-{i:07d}", client=c, client_kind=c.kind, technician=techs[i % len(techs)], sold_on=sold,
            payment_terms="working_days", amount=amount, received_amount=received, is_open=received < amount,
            due_date=due, original_due_date=due, status="registered", registered_at=now, created_at=now,
            invoice_number=f"FP{i:08d}" if i % 3 else "",
        ))
        if len(batch) == 5000:
            SalesConfirmation.objects.bulk_create(batch)
            batch = []
    SalesConfirmation.objects.bulk_create(batch)


def main(out, ledger_rows=20_000):
    call_command("migrate", verbosity=0)
    accounts = {
        "password": PASSWORD,
        "coordinators": [person(f"lc{i}", f"压测协调{i}", Role.COORDINATOR) for i in range(10)],
        "technicians": [person(f"lt{i}", f"压测技术{i}", Role.TECHNICIAN) for i in range(40)],
        "finance": [person(f"lf{i}", f"压测财务{i}", Role.FINANCE) for i in range(2)],
        "managers": [person(f"lm{i}", f"压测经理{i}", Role.MANAGER) for i in range(2)],
    }
    sites, clients = [], []
    for i in range(20):
        kind = "retail" if i % 2 else "key_account"
        client, _ = Client.objects.get_or_create(name=f"压测客户{i:02d}号", defaults={"kind": kind, "department": "key_account"})
        site, _ = Site.objects.get_or_create(
            client=client, name="总部", defaults={"address": f"科技路 {i} 号", "area": "高新区", "contact_name": "联系人", "phone": "13900000000"}
        )
        sites.append({"client": client.pk, "site": site.pk, "name": client.name})
        clients.append(client)
    accounts["sites"] = sites
    for i, coordinator in enumerate(accounts["coordinators"]):  # each takes its own two clients' calls
        coordinator["sites"] = sites[2 * i:2 * i + 2]
    techs = list(Staff.objects.filter(user__username__startswith="lt").order_by("pk"))
    ledger(ledger_rows, clients, techs)
    Path(out).write_text(json.dumps(accounts, ensure_ascii=False))
    print(f"accounts written to {out}; ledger of {ledger_rows} confirmations")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/load-accounts.json", int(os.environ.get("LOAD_LEDGER_ROWS", "20000")))
