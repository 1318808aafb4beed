"""A believable demo department (Shenzhen IT service company): staff of every role, clients, sites,
equipment and two months of work-order history. Deterministic and idempotent."""
import random
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import services
from .choices import Channel, ClientKind, Department, Role, ServiceContent, ServiceMode, SoftwareEntitlement, WorkOrderStatus
from .models import Client, Equipment, Site, Staff, WorkOrder, WorkOrderEvent

PASSWORD = "demo12345"
AREAS = ["福田区", "南山区", "罗湖区", "宝安区", "龙岗区"]

# username, name, roles, area
PEOPLE = [
    ("manager", "李建国", [Role.MANAGER], "福田区"),
    ("coord1", "张丽", [Role.COORDINATOR], "福田区"),
    ("coord2", "王芳", [Role.COORDINATOR], "南山区"),
    ("tech1", "陈伟", [Role.TECHNICIAN, Role.TEAM_LEAD], "福田区"),
    ("tech2", "刘洋", [Role.TECHNICIAN], "福田区"),
    ("tech3", "杨帆", [Role.TECHNICIAN], "南山区"),
    ("tech4", "赵磊", [Role.TECHNICIAN], "南山区"),
    ("tech5", "黄俊", [Role.TECHNICIAN], "罗湖区"),
    ("tech6", "周强", [Role.TECHNICIAN], "宝安区"),
    ("tech7", "吴斌", [Role.TECHNICIAN], "龙岗区"),
    ("tech8", "徐涛", [Role.TECHNICIAN], "福田区"),
    ("finance", "孙梅", [Role.FINANCE], ""),
    ("sales", "马超", [Role.SALES], ""),
    ("gm", "郑总", [Role.GM_OFFICE], ""),
    ("supervisor", "何静", [Role.SUPERVISOR], ""),
    ("admin", "林晓", [Role.ADMIN], ""),
]
DEMO_USERS = [(u, "、".join(str(Role(r).label) for r in roles), PASSWORD) for u, _n, roles, _a in PEOPLE]

KEY_ACCOUNTS = [
    "国家税务总局深圳市福田区税务局", "国家税务总局深圳市南山区税务局", "国家税务总局深圳市罗湖区税务局",
    "深圳市第二人民医院", "深圳市福田区教育局", "南山实验教育集团", "深圳市宝安区人民医院", "龙岗区政务服务中心",
    "深圳市罗湖区社保分局", "深圳大学城图书馆", "深圳市交通运输局",
]
RETAIL = [
    "华强北电脑城惠通商行", "南山科技园云帆软件", "罗湖东门美佳服饰", "宝安西乡顺达物流", "龙岗布吉鑫源五金",
    "福田车公庙启明会计事务所", "南山蛇口海风咖啡", "罗湖国贸立信律师事务所", "宝安新安康乐诊所", "龙华民治星辰教育",
    "福田梅林绿源超市",
]
MODELS = [
    ("HP LaserJet Pro M404dn", "惠普"), ("联想 ThinkCentre M720t", "联想"), ("戴尔 PowerEdge R740", "戴尔"),
    ("戴尔 OptiPlex 7090", "戴尔"), ("爱普生 LQ-630K", "爱普生"), ("三星 S24R350 液晶显示器", "三星"),
    ("华为 MateStation S", "华为"), ("佳能 iR2625", "佳能"),
]
FAULTS = [
    "打印机卡纸,无法正常出纸", "电脑开机蓝屏", "系统运行缓慢,需要重装系统", "显示器黑屏无信号", "服务器风扇报警",
    "网络打印机无法连接", "税控软件安装", "Office 无法激活", "主板电容鼓包,无法开机", "新购电脑安装调试",
]
STREETS = ["深南大道", "滨河大道", "北环大道", "福华路", "科技园南路", "宝安大道", "龙岗大道", "东门北路"]


def build(*, now: datetime | None = None, stdout=None) -> bool:
    """Create the demo department. Returns False (and does nothing) when it is already there."""
    now = now or timezone.now()
    if get_user_model().objects.filter(username="manager").exists():
        if stdout:
            stdout.write("demo data already present")
        return False
    rnd = random.Random(20261122)
    with transaction.atomic():
        staff = {}
        for i, (username, name, roles, area) in enumerate(PEOPLE):
            staff[username] = services.create_staff(
                username=username, name=name, roles=[str(r) for r in roles], password=PASSWORD,
                area=area, team="一组" if area in ("福田区", "南山区") else "二组", phone=f"1380755{i:04d}",
            )
        User = get_user_model()
        User.objects.filter(username__in=["manager", "coord1", "coord2", "admin"]).update(is_staff=True)
        User.objects.filter(username="admin").update(is_superuser=True)
        techs = [staff[f"tech{i}"] for i in range(1, 9)]
        for t in techs[1:]:
            t.team_lead = techs[0]
            t.save(update_fields=["team_lead"])

        clients, sites, equipment = [], [], []
        for i, name in enumerate(KEY_ACCOUNTS + RETAIL):
            key = i < len(KEY_ACCOUNTS)
            agreement = None
            if key and i % 3 == 0:
                agreement = date(2025, 1, 1) if i != 9 else (now + timedelta(days=60)).date()  # one before its agreement (R-B8)
            client = services.save_record(
                Client(
                    name=name,
                    kind=ClientKind.KEY_ACCOUNT if key else ClientKind.RETAIL,
                    department=Department.KEY_ACCOUNT if i % 2 else Department.BIDDING,
                    agreement_start=agreement,
                    software_entitlement=SoftwareEntitlement.WORKING_DAYS if i % 4 == 1 else SoftwareEntitlement.VISITS,
                    phone=f"0755-8{i:03d}6688",
                    salesperson=staff["sales"],
                )
            )
            clients.append(client)
            for j in range(1 if not key else 2):
                area = AREAS[(i + j) % len(AREAS)]
                site = services.save_record(
                    Site(
                        client=client, name="总部" if j == 0 else "办税服务厅", area=area,
                        address=f"深圳市{area}{STREETS[(i + j) % len(STREETS)]}{100 + i * 7 + j}号",
                        contact_name=rnd.choice(["刘", "陈", "林", "郭", "何"]) + rnd.choice(["先生", "女士", "主任", "科长"]),
                        phone=f"13{rnd.randint(5, 9)}{rnd.randint(10000000, 99999999)}",
                        resident=key and j == 1 and i < 2,
                    )
                )
                sites.append(site)
                for k in range(2 if key else 2):
                    model, maker = MODELS[(i * 3 + j + k) % len(MODELS)]
                    installed = (now - timedelta(days=rnd.randint(60, 1200))).date()
                    equipment.append(
                        services.save_record(
                            Equipment(
                                client=client, site=site, model=model, manufacturer=maker,
                                serial=f"SZ{i:02d}{j}{k}{rnd.randint(100000, 999999)}",
                                installed_on=installed,
                                manufacturer_warranty_end=installed + timedelta(days=365),
                                company_warranty_end=installed + timedelta(days=365 * 3),
                            )
                        )
                    )
        resident_sites = [s for s in sites if s.resident]
        for t, s in zip(techs[6:8], resident_sites):
            t.resident_site = s
            t.save(update_fields=["resident_site"])

        coordinators = [staff["coord1"], staff["coord2"]]
        mobile_techs = techs[:6]
        for n in range(120):
            eq = rnd.choice(equipment)
            created = now - timedelta(days=60 * (120 - n) / 120, hours=rnd.randint(0, 5))
            created = created.replace(hour=rnd.randint(8, 17), minute=rnd.choice([0, 10, 25, 40]))
            if created > now:
                created = now - timedelta(hours=1)
            carry_in = n % 15 == 0
            wo = services.create_work_order(
                by=rnd.choice(coordinators), now=created, client=eq.client, site=eq.site, equipment=eq,
                contact_name=eq.site.contact_name, contact_phone=eq.site.phone,
                content=rnd.choice(ServiceContent.values), channel=Channel.CARRY_IN if carry_in else Channel.PHONE,
                service_mode=ServiceMode.RESIDENT if eq.site.resident else ServiceMode.MOBILE,
                description=rnd.choice(FAULTS), required_at=created + timedelta(hours=2),
            )
            age = now - created
            if n >= 114:
                continue  # today's unassigned work for the board
            tech = rnd.choice(mobile_techs)
            final = WorkOrderStatus.CLOSED if age > timedelta(days=5) else WorkOrderStatus.RESOLVED
            if n >= 110:
                final = rnd.choice([WorkOrderStatus.DISPATCHED, WorkOrderStatus.EN_ROUTE, WorkOrderStatus.ON_SITE])
            steps = ["dispatched", "accepted", "contacted", "en_route", "on_site", "resolved", "closed"]
            at, prev, events = created, "new", []
            for st in steps[: steps.index(final) + 1]:
                at += timedelta(minutes=rnd.randint(5, 40))
                events.append(WorkOrderEvent(work_order=wo, at=at, by=tech if st != "dispatched" else wo.created_by,
                                             action=st, from_status=prev, to_status=st, holder=tech))
                prev = st
            WorkOrderEvent.objects.bulk_create(events)
            WorkOrder.objects.filter(pk=wo.pk).update(status=final, technician=tech, version=len(events))
    if stdout:
        stdout.write(f"demo: {Staff.objects.count()} staff, {Client.objects.count()} clients, "
                     f"{Equipment.objects.count()} equipment, {WorkOrder.objects.count()} work orders")
    return True
