"""Prepare the load-test database: migrate, 10 coordinators, 40 technicians, 1 finance, clients and sites, tokens.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest python bench/load/setup_load.py /tmp/load-accounts.json
"""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

import django  # noqa: E402

django.setup()
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from servicedesk.choices import Role  # noqa: E402
from servicedesk.models import Client, Site, Staff  # noqa: E402


def person(username, name, role, area="高新区"):
    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    staff, _ = Staff.objects.get_or_create(user=user, defaults={"name": name, "phone": "13800000000", "area": area})
    token, _ = Token.objects.get_or_create(user=user)
    return {"id": staff.pk, "username": username, "token": token.key}


def main(out):
    call_command("migrate", verbosity=0)
    accounts = {
        "coordinators": [person(f"lc{i}", f"压测协调{i}", Role.COORDINATOR) for i in range(10)],
        "technicians": [person(f"lt{i}", f"压测技术{i}", Role.TECHNICIAN) for i in range(40)],
        "finance": person("lf", "压测财务", Role.FINANCE),
    }
    sites = []
    for i in range(20):
        kind = "retail" if i % 2 else "key_account"
        client, _ = Client.objects.get_or_create(name=f"压测客户{i}", defaults={"kind": kind, "department": "key_account"})
        site, _ = Site.objects.get_or_create(
            client=client, name="总部", defaults={"address": f"科技路 {i} 号", "area": "高新区", "contact_name": "联系人", "phone": "13900000000"}
        )
        sites.append({"client": client.pk, "site": site.pk})
    accounts["sites"] = sites
    Path(out).write_text(json.dumps(accounts, ensure_ascii=False))
    print(f"accounts written to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/load-accounts.json")
