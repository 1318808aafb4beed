"""R-R2: the monthly resident report page shows the photos of the work orders it counts (the technician's resident
orders closed out in the month), each a thumbnail that opens the image; only photos the viewer may see."""
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from servicedesk import attachments
from servicedesk.choices import ServiceContent, ServiceMode

from ..factories import WorkOrderFactory
from .conftest import at
from .helpers import filled_report

pytestmark = pytest.mark.django_db


def _jpeg(name):
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 200)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_the_report_shows_the_months_work_order_photos(client, resident, post, supervisor, settings, tmp_path):
    from dispatch.models import CloseOut

    settings.MEDIA_ROOT = tmp_path
    orders = {}
    for label, mode, when in [("nov", ServiceMode.RESIDENT, at(11, 20)), ("mobile", ServiceMode.MOBILE, at(11, 21)), ("dec", ServiceMode.RESIDENT, at(12, 1))]:
        wo = WorkOrderFactory(service_mode=mode, content=ServiceContent.REPAIR, technician=resident)
        CloseOut.objects.create(work_order=wo, technician=resident, work_done="x", fault_cause="x", advice="x", started_at=when,
                                ended_at=when, signature_name="客户", completed_at=when, recorded_at=when)
        [orders[label]] = attachments.attach(work_order=wo, files=[_jpeg(f"{label}.jpg")], by=resident, now=when)
    with time_machine.travel(at(12, 2, 9), tick=False):
        report = filled_report(resident)
        client.force_login(supervisor.user)
        page = client.get(f"/dispatch/resident/{report.pk}/").content.decode()
        assert "本月工单照片" in page
        assert f"/core/attachments/{orders['nov'].pk}/thumbnail/" in page and f"/core/attachments/{orders['nov'].pk}/\"" in page
        assert f"/core/attachments/{orders['mobile'].pk}/" not in page and f"/core/attachments/{orders['dec'].pk}/" not in page
        client.force_login(resident.user)
        own = client.get("/dispatch/resident/my/2026-11/").content.decode()
        assert f"/core/attachments/{orders['nov'].pk}/thumbnail/" in own
