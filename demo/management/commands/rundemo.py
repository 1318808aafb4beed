"""One command for a first look: migrate SQLite, load the demo department, serve with background jobs embedded."""
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据并启动服务(内嵌后台任务,无需 Redis)。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据,不启动服务")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        from demo.department import DEMO_USERS

        host, _, port = addrport.rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\n客服部工作平台 servicedesk 已就绪: {url}"))
        self.stdout.write(f"API 文档: {url}api/docs/   后台管理: {url}admin/")
        self.stdout.write("演示账号 (demo logins):")
        for username, role, password in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {password:<12} {role}")
        from demo.portal import demo_link_url

        client_link = demo_link_url(base=url)
        if client_link:  # the client's own page: no account, the link is the key
            self.stdout.write(f"客户自助页面 (client's page, open on a phone): {client_link}")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("后台任务: 内嵌模式 (embedded beat thread, no Redis needed)\n")
        if no_serve:
            return
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from servicedesk.embedded_beat import EmbeddedBeat

            EmbeddedBeat().start()
        call_command("runserver", addrport, use_reloader=False)
