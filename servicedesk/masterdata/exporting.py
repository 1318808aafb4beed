"""The four lists out to a workbook, and the empty templates (rule 10: through servicedesk/exports.py, every text
cell escaped against formula injection; rule 7: headers and sheet names in the requester's language, which the
import reads back in either language)."""
import io
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import override

from ..exports import SheetWriter, open_workbook
from ..models import Client, Equipment, Site, Staff
from .columns import SHEET_ORDER
from .resources import RESOURCES

EXAMPLES = {
    "clients": lambda: [_("示例客户有限公司"), _("投标部"), _("零散客户"), "0755-83330000", None, _("免费上门次数"), "", ""],
    "sites": lambda: [_("示例客户有限公司"), _("总部"), _("深圳市福田区深南大道 1 号"), _("福田区"), _("王经理"), "13900000001", _("否")],
    "equipment": lambda: [_("示例客户有限公司"), _("总部"), "HP LaserJet 1020", "CN12345678", "HP", 1, date(2026, 1, 10),
                          date(2027, 1, 9), date(2028, 1, 9)],
    "staff": lambda: ["zhangsan", _("张三"), _("技术员"), _("福田区"), _("一组"), "13800000001", _("是")],
}


def _querysets():
    return {
        "clients": Client.objects.select_related("salesperson__user").order_by("name"),
        "sites": Site.objects.select_related("client").order_by("client__name", "name"),
        "equipment": Equipment.objects.select_related("client", "site").order_by("client__name", "serial"),
        "staff": Staff.objects.select_related("user").prefetch_related("user__groups").order_by("user__username"),
    }


def _write(output, *, language: str, rows: bool) -> None:
    with override(language):
        wb, fmt = open_workbook(output)
        querysets = _querysets()
        for spec in SHEET_ORDER:
            resource = RESOURCES[spec.kind]()
            fields = [resource.fields[name] for name in resource._meta.fields]
            ws = SheetWriter(wb.add_worksheet(str(spec.title)), fmt)
            ws.header([f"{c.title}{'*' if c.required else ''}" if not rows else str(c.title) for c in spec.columns])
            if not rows:
                ws.row(EXAMPLES[spec.kind]())
                continue
            qs = querysets[spec.kind]
            # staff: the groups are prefetched per chunk, so the roles cost no query per person
            items = qs.iterator(chunk_size=2000)
            for obj in items:
                if spec.kind == "staff":
                    obj.import_username, obj.import_roles = obj.user.username, list(obj.roles)
                ws.row([_export_value(f, obj) for f in fields])
        wb.close()


def _export_value(f, obj):
    value = f.get_value(obj)
    if value is None or isinstance(value, (date, int)) and not isinstance(value, bool):
        return value
    return f.widget.render(value)


def export_lists(*, language: str) -> bytes:
    """Clients, sites, equipment and staff as they are now, one sheet each, ready to be edited and imported again."""
    buf = io.BytesIO()
    _write(buf, language=language, rows=True)
    return buf.getvalue()


def template(*, language: str) -> bytes:
    """The empty lists with one example row each; required columns are marked with *."""
    buf = io.BytesIO()
    _write(buf, language=language, rows=False)
    return buf.getvalue()
