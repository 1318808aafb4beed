from django.core.management.base import BaseCommand

from servicedesk.demo import build


class Command(BaseCommand):
    help = "载入演示数据(已存在则跳过)。"

    def handle(self, *args, **options):
        build(stdout=self.stdout)
