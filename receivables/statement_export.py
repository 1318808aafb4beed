"""R-S2: a monthly statement as an Excel workbook — the same figures as its page, at any step (docs/developers.md
rule 8: every text cell escaped through servicedesk.exports)."""
import io

from django.utils.text import slugify
from django.utils.translation import gettext as _

from servicedesk.exports import SheetWriter, open_workbook

from . import selectors


def export_statement(statement) -> bytes:
    buf = io.BytesIO()
    wb, fmt = open_workbook(buf, constant_memory=False)
    ws = SheetWriter(wb.add_worksheet(_("对账单")), fmt)
    ws.row([_("月结对账单"), statement.number], {0: fmt.title})
    ws.row([_("客户"), statement.client.name])
    ws.row([_("月份"), f"{statement.month:%Y-%m}"])
    ws.row([_("状态"), statement.get_status_display()])
    ws.row([_("到期日"), statement.due_date])
    ws.row([])
    ws.header([_("确认书编号"), _("销售日期"), _("网点"), _("技术员"), _("开票金额"), _("已收金额")])
    for c in selectors.statement_lines(statement):
        ws.row([c.number, c.sold_on, c.site.name if c.site_id else "", c.technician.name if c.technician_id else "",
                c.amount, c.received_amount])
    ws.row([_("合计"), None, None, None, statement.amount, statement.received_amount], {0: fmt.bold, 4: fmt.money_bold, 5: fmt.money_bold})
    ws.ws.set_column(0, 0, 22)
    ws.ws.set_column(1, 5, 14)
    wb.close()
    return buf.getvalue()


def file_name(statement) -> str:
    stem = slugify(f"{_('对账单')}-{statement.number}-{statement.client.name}", allow_unicode=True) or "statement"
    return f"{stem[:150]}.xlsx"
