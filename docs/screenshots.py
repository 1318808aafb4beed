"""Take the guide's screenshots from a running demo (docs/guide/*.md show them).

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python manage.py runserver 127.0.0.1:8116 &
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 python docs/screenshots.py http://127.0.0.1:8116

Headless Chromium (Debian's /usr/bin/chromium) through Playwright: 1280 px wide for the desk roles,
375 px for the technician's phone; JPEG, quality 70, the visible viewport only (small files).
The script reads the demo database only to find which records to open.
"""
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
OUT = ROOT / "docs" / "img"
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
FORMAT = os.environ.get("SHOT_FORMAT", "jpg")  # SHOT_FORMAT=png to look at them with a PNG-only viewer


def shots():
    """(file, login, path, viewport) — the records come from the seeded demo."""
    from servicedesk.models import WorkOrder

    busy = (
        WorkOrder.objects.filter(status__in=["accepted", "contacted", "en_route", "on_site"], technician__resident_site__isnull=True)
        .select_related("technician__user").order_by("-created_at").first()
    )
    tech = busy.technician.user.username
    return [
        ("coordinator-home", "coord1", "/", DESK),
        ("coordinator-board", "coord1", "/dispatch/board/", DESK),
        ("coordinator-callbacks", "coord1", "/callbacks/", DESK),
        ("coordinator-register", "coord1", "/receivables/register/", DESK),
        ("technician-my-work", tech, "/dispatch/my/", PHONE),
        ("technician-order", tech, f"/dispatch/my/{busy.pk}/", PHONE),
        ("technician-ledger", tech, "/receivables/my-ledger/", PHONE),
        ("manager-home", "manager", "/", DESK),
        ("manager-penalties", "manager", "/penalties/?status=pending&rule=P7", DESK),
        ("manager-month-close", "manager", "/bonuses/", DESK),
        ("manager-report", "manager", "/reports/", DESK),
        ("finance-ledger", "finance", "/receivables/ledger/", DESK),
        ("sales-queue", "sales", "/billing/", DESK),
        ("gm-extensions", "gm", "/receivables/extensions/", DESK),
        ("supervisor-resident", "supervisor", "/dispatch/resident/", DESK),
        ("admin-calendar", "admin", "/core/calendar/", DESK),
    ]


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    todo = shots()  # the database is read before Playwright's event loop starts
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, login, path, viewport in todo:
                phone = viewport is PHONE
                context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN", is_mobile=phone, has_touch=phone)
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", login)
                page.fill("input[name=password]", "demo12345")
                page.click("button[type=submit], input[type=submit]")
                page.wait_for_load_state("networkidle")
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}.{FORMAT}"
                page.screenshot(path=str(target), **({"type": "jpeg", "quality": 70} if FORMAT == "jpg" else {"type": "png"}))
                print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB  ({login} {path})")
                context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main((sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8116").rstrip("/"))
