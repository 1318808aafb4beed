from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from demo.department import build


class Command(BaseCommand):
    help = "载入演示数据(已存在则跳过)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="演示部门的“现在”(YYYY-MM-DD HH:MM,上海时间),默认为当前时间", default=None
        )

    def handle(self, *args, now=None, **options):
        at = None
        if now:
            try:
                at = datetime.fromisoformat(now).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
            except ValueError:
                raise CommandError(f"--now: not a date/time: {now!r} (YYYY-MM-DD HH:MM)")
        build(now=at, stdout=self.stdout)
        from django.db import connection

        if connection.vendor == "sqlite":  # the embedded default: give the query planner the tables' statistics
            with connection.cursor() as cur:
                cur.execute("PRAGMA optimize=0x10002")
