"""Step 1 of the demo: the department's people, clients, sites and equipment (master data, R-C1…R-C5)."""
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from servicedesk import services
from servicedesk.choices import ClientKind, Department, Role, SoftwareEntitlement
from servicedesk.models import Client, Equipment, Site

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
STREETS = ["深南大道", "滨河大道", "北环大道", "福华路", "科技园南路", "宝安大道", "龙岗大道", "东门北路"]


def build_people(demo) -> None:
    """Staff of every role (2 resident technicians, 1 technical team lead), 22 clients of both kinds and
    departments, their sites (2 resident sites) and equipment with both warranty ends."""
    rnd, now = demo.rnd, demo.now
    staff = demo.staff
    for i, (username, name, roles, area) in enumerate(PEOPLE):
        staff[username] = services.create_staff(
            username=username, name=name, roles=[str(r) for r in roles], password=None,
            area=area, team="一组" if area in ("福田区", "南山区") else "二组", phone=f"1380755{i:04d}",
        )
    User = get_user_model()
    # one password hash for every demo login (hashing 16 times would be most of the seeding time)
    User.objects.filter(username__in=list(staff)).update(password=make_password(PASSWORD))
    User.objects.filter(username__in=["manager", "coord1", "coord2", "admin"]).update(is_staff=True)
    User.objects.filter(username="admin").update(is_superuser=True)
    techs = [staff[f"tech{i}"] for i in range(1, 9)]
    for t in techs[1:]:
        services.update_staff(staff=t, team_lead=techs[0])

    for i, name in enumerate(KEY_ACCOUNTS + RETAIL):
        key = i < len(KEY_ACCOUNTS)
        agreement = None
        if key:
            # R-B8: most key accounts signed their outsourced-service agreement long ago; 深圳大学城图书馆 signs in
            # 60 days and 深圳市交通运输局 has not signed one (no date: also "before", parts only).
            agreement = {9: (now + timedelta(days=60)).date(), 10: None}.get(i, date(2025, 1, 1))
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
        demo.clients.append(client)
        for j in range(2 if key else 1):
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
            demo.sites.append(site)
            for k in range(2):
                model, maker = MODELS[(i * 3 + j + k) % len(MODELS)]
                installed = (now - timedelta(days=rnd.randint(60, 1200))).date()
                demo.equipment.append(
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
    resident_sites = [s for s in demo.sites if s.resident]
    for t, s in zip(techs[6:8], resident_sites):
        services.update_staff(staff=t, resident_site=s)
    demo.log(f"{len(staff)} staff, {len(demo.clients)} clients, {len(demo.sites)} sites, {len(demo.equipment)} equipment")


def reload(demo) -> None:
    """Refresh the cached master data (the staff objects carry a cached role set)."""
    from servicedesk.models import Staff

    by_user = {s.user.username: s for s in Staff.objects.select_related("user")}
    demo.staff.update(by_user)
    demo.clients[:] = list(Client.objects.order_by("pk"))
    demo.sites[:] = list(Site.objects.select_related("client").order_by("pk"))
    demo.equipment[:] = list(Equipment.objects.select_related("client", "site").order_by("pk"))
