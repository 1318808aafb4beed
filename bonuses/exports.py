"""The month's statements as the payroll input (R-M9): one row per person, one column per kind.

Goes through servicedesk.exports (every text cell escaped against formula injection)."""
from datetime import date

from django.utils.translation import gettext as _

from servicedesk.exports import SheetWriter, open_workbook

from . import selectors

MONEY_KEYS = ["rewards", "allowances", "project_bonus", "fines", "penalty_amount", "net"]


def write_month(output, *, month: date) -> int:
    """Writes the workbook of `month` to `output`; returns the number of people. Three queries."""
    statements = list(selectors.statements(month=month))
    wb, fmt = open_workbook(output)
    ws = wb.add_worksheet(f"{month:%Y-%m}")
    sheet = SheetWriter(ws, fmt)
    ws.set_column(0, 1, 14)
    ws.set_column(2, 10, 12)
    sheet.header([
        _("月份"), _("姓名"), _("工号"), _("状态"), _("奖励"), _("补贴"), _("项目奖金"), _("罚款"), _("扣分"), _("扣分金额"),
        _("合计"), _("明细"),
    ])
    totals = {k: 0 for k in MONEY_KEYS}
    for st in statements:
        t = selectors.totals_of(st)
        for k in MONEY_KEYS:
            totals[k] += t[k]
        detail = ";".join(f"{line.rule} {line.get_kind_display()} {line.amount}" for line in st.lines)
        sheet.row([
            f"{month:%Y-%m}", st.person.name, st.person.user.username if hasattr(st.person, "user") else "",
            st.get_status_display(), t["rewards"], t["allowances"], t["project_bonus"], t["fines"], t["penalty_points"],
            t["penalty_amount"], t["net"], detail,
        ], formats={8: fmt.integer})
    sheet.row(["", _("合计"), "", "", *[totals[k] for k in MONEY_KEYS[:4]], "", totals["penalty_amount"], totals["net"], ""],
              formats={4: fmt.money_bold, 5: fmt.money_bold, 6: fmt.money_bold, 7: fmt.money_bold, 9: fmt.money_bold,
                       10: fmt.money_bold})
    wb.close()
    return len(statements)
