"""factory_boy factories: a believable department in one line per object."""
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from servicedesk.choices import ClientKind, Department, Role, ServiceContent
from servicedesk.models import Client, Equipment, Site, Staff, WorkOrder


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-12345")


class StaffFactory(factory.django.DjangoModelFactory):
    """StaffFactory(roles=["technician"], area="福田区")."""

    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"员工{n:03d}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    area = "福田区"
    active = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.user.groups.add(*Group.objects.filter(name__in=extracted))
            self.__dict__.pop("roles", None)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"深圳市测试客户{n:03d}有限公司")
    kind = ClientKind.RETAIL
    department = Department.BIDDING


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"网点{n}")
    address = factory.Sequence(lambda n: f"深圳市福田区深南大道{n}号")
    area = "福田区"
    contact_name = "王经理"
    phone = "13900000000"


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    client = factory.SubFactory(ClientFactory)
    site = factory.LazyAttribute(lambda o: SiteFactory(client=o.client))
    model = "HP LaserJet 1020"
    serial = factory.Sequence(lambda n: f"SN{n:06d}")
    installed_on = date(2026, 1, 10)
    manufacturer_warranty_end = date(2027, 1, 9)
    company_warranty_end = date(2028, 1, 9)


class WorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrder

    client = factory.SubFactory(ClientFactory)
    site = factory.LazyAttribute(lambda o: SiteFactory(client=o.client))
    contact_name = "王经理"
    contact_phone = "13900000000"
    content = ServiceContent.REPAIR
    number = factory.Sequence(lambda n: f"WO-TEST-{n:05d}")
    # an hour before the test clock: the run's fixed moment (tests/clock.py) or the moment a test travelled to
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


def staff_with(*roles: str, **kwargs) -> Staff:
    return StaffFactory(roles=list(roles), **kwargs)


__all__ = ["ClientFactory", "EquipmentFactory", "Role", "SiteFactory", "StaffFactory", "UserFactory", "WorkOrderFactory", "staff_with"]
