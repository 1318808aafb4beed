"""One workbook per month (R-T2): a sheet per table, numbers as numbers, a notes sheet of definitions.
Written through servicedesk/exports.py, so every text cell is escaped against formula injection."""
from decimal import Decimal

from django.utils.translation import gettext as _

from receivables.selectors import bucket_label
from servicedesk.choices import ServiceContent, ServiceMode
from servicedesk.exports import SheetWriter, open_workbook

from .compiler import chart_ranking
from .selectors import cause_label, department_view
from .definitions import definitions


def _dec(value):
    return None if value is None else Decimal(value)


def _technician_columns(fmt) -> list[tuple]:
    """(header, value of a technician's line, number format or None) for the technicians' sheet."""
    cols = [(_("技术员"), lambda t: t["name"], None), (_("已解决上门"), lambda t: t["resolved_visits"], None)]
    cols += [(label, (lambda k: lambda t: t["by_mode"].get(k, 0))(k), None) for k, label in ServiceMode.choices]
    cols += [(label, (lambda k: lambda t: t["by_kind"].get(k, 0))(k), None) for k, label in ServiceContent.choices]
    cols += [
        (_("客户拜访"), lambda t: t["visits"], None),
        (_("解决目标"), lambda t: t["target_resolutions"], None),
        (_("拜访目标"), lambda t: t["target_visits"], None),
        (_("工作量分"), lambda t: _dec(t["workload_score"]), fmt.percent),
        (_("SLA 到期"), lambda t: t["sla_due"], None),
        (_("SLA 按时"), lambda t: t["sla_met"], None),
        (_("SLA 达标率 %"), lambda t: _dec(t["sla_compliance"]), fmt.percent),
        (_("已回访"), lambda t: t["callbacks"], None),
        (_("很满意"), lambda t: t["very_satisfied"], None),
        (_("很满意率 %"), lambda t: _dec(t["very_satisfied_rate"]), fmt.percent),
        (_("无法联系"), lambda t: t["unreachable"], None),
        (_("投诉"), lambda t: t["complaints"], None),
        (_("确认扣分"), lambda t: t["penalty_points"], None),
        (_("扣分金额"), lambda t: _dec(t["penalty_amount"]), None),
        (_("奖励"), lambda t: _dec(t["rewards"]), None),
        (_("罚款"), lambda t: _dec(t["fines"]), None),
        (_("补贴"), lambda t: _dec(t["allowances"]), None),
        (_("项目奖金"), lambda t: _dec(t["project_bonus"]), None),
        (_("净额"), lambda t: _dec(t["net"]), None),
        (_("销售额"), lambda t: _dec(t["sales"]), None),
        (_("回款"), lambda t: _dec(t["collected"]), None),
        (_("排名"), lambda t: t["rank"], None),
    ]
    return cols


def _technicians_sheet(wb, fmt, body: dict) -> None:
    ws = SheetWriter(wb.add_worksheet(_("技术员")), fmt)
    ws.ws.freeze_panes(1, 1)
    cols = _technician_columns(fmt)
    ws.header([str(c[0]) for c in cols])
    formats = {i: c[2] for i, c in enumerate(cols) if c[2] is not None}
    for t in body["technicians"]:
        ws.row([c[1](t) for c in cols], formats=formats)


def _department_sheet(wb, fmt, d: dict) -> None:
    ws = SheetWriter(wb.add_worksheet(_("部门")), fmt)
    ws.header([_("指标"), _("数值"), _("目标")])
    rows = [
        (_("已解决上门"), d["resolved_visits"], None),
        (_("客户拜访"), d["visits"], None),
        (_("达到解决目标的技术员"), d["meeting_resolution_target"], d["technicians"]),
        (_("达到拜访目标的技术员"), d["meeting_visit_target"], d["technicians"]),
        (_("回访覆盖率 %"), _dec(d["callback_coverage"]), _dec(d["coverage_target"])),
        (_("服务客户"), d["clients_served"], None),
        (_("已回访客户"), d["clients_called_back"], None),
        (_("逾期回访"), d["overdue_callbacks"], None),
        (_("很满意率 %"), _dec(d["very_satisfied_rate"]), None),
        (_("SLA 到期"), d["sla_due"], None),
        (_("SLA 按时"), d["sla_met"], None),
        (_("SLA 达标率 %"), _dec(d["sla_compliance"]), None),
        (_("投诉"), d["complaints"], None),
        (_("确认扣分"), d["penalty_points"], None),
        (_("扣分金额"), _dec(d["penalty_amount"]), None),
        (_("奖励"), _dec(d["rewards"]), None),
        (_("罚款"), _dec(d["fines"]), None),
        (_("销售额"), _dec(d["sales"]), None),
        (_("当月回款"), _dec(d["collections"]), None),
        (_("应收余额"), _dec(d["receivables_outstanding"]), None),
    ]
    for rule, x in d["sla_by_rule"].items():
        rows.append((_("SLA 达标率 %(rule)s %%") % {"rule": rule}, _dec(x["compliance"]), None))
    for label, value, target in rows:
        ws.row([str(label), value, target])


def _table_sheets(wb, fmt, body: dict, d: dict) -> None:
    """Receivables ageing, complaint causes, the 12-month trend, the ranking, then resident ratings and projects
    (when the month has any)."""
    ws = SheetWriter(wb.add_worksheet(_("应收账龄")), fmt)
    ws.header([_("账龄"), _("未收余额")])
    for b in d["receivables_buckets"]:
        ws.row([bucket_label(b["key"], b.get("label")), _dec(d["receivables_by_bucket"].get(b["key"], "0.00"))])
    ws.row([_("合计"), _dec(d["receivables_outstanding"])], formats={1: fmt.money_bold})

    ws = SheetWriter(wb.add_worksheet(_("投诉原因")), fmt)
    ws.header([_("原因"), _("投诉数")])
    for c in d["complaints_by_cause"]:
        ws.row([cause_label(c), c["count"]])

    ws = SheetWriter(wb.add_worksheet(_("12个月趋势")), fmt)
    ws.header([_("月份"), _("已解决上门"), _("很满意率 %"), _("SLA 达标率 %"), _("已审批")])
    for t in body["trends"]:
        ws.row([t["month"], t["visits"], _dec(t["very_satisfied_rate"]), _dec(t["sla_compliance"]), t["approved"]])

    ws = SheetWriter(wb.add_worksheet(_("排名")), fmt)
    ws.header([_("名次"), _("技术员"), _("工作量分")])
    for r in chart_ranking(body):
        ws.row([r["rank"], r["name"], _dec(r["score"])])

    # the same columns as the report's page, named and read in the requester's language (rule 7: no stored key,
    # no status code in a workbook)
    view = department_view(body)

    def yes_no(value):
        return "—" if value is None else (_("是") if value else _("否"))

    if view.get("resident_ratings"):
        ws = SheetWriter(wb.add_worksheet(_("驻点评价")), fmt)
        ws.header([_("驻点"), _("技术员"), _("月份"), _("客户评价"), _("资料按时")])
        for r in view["resident_ratings"]:
            ws.row([r.get("site_name"), r.get("person_name"), r.get("month"), r.get("rating_label") or "—", yes_no(r.get("documents_on_time"))])
    if view.get("projects"):
        ws = SheetWriter(wb.add_worksheet(_("团队项目")), fmt)
        ws.header([_("项目编号"), _("项目名称"), _("客户"), _("项目经理"), _("状态"), _("客户满意"), _("已发奖金 ¥")])
        for r in view["projects"]:
            ws.row([r.get("number"), r.get("name"), r.get("client"), r.get("manager_name"), r.get("status_label"),
                    yes_no(r.get("client_satisfied")), _dec(r.get("paid"))])


def _notes_sheet(wb, fmt, report, body: dict) -> None:
    """The definitions of every figure and the parameters the month was computed with."""
    ws = SheetWriter(wb.add_worksheet(_("说明")), fmt)
    ws.ws.set_column(0, 0, 16)
    ws.ws.set_column(1, 1, 90)
    ws.header([_("指标"), _("定义")])
    ws.row([_("月份"), body["month"]])
    ws.row([_("状态"), report.get_status_display()])
    ws.row([_("内容摘要"), report.digest])
    for _key, label, text in definitions(body):
        ws.row([label, text])
    for name, p in sorted(body["parameters"].items()):
        ws.row([name, _("取值 %(v)s,版本 %(ver)s,自 %(f)s 生效") % {"v": _value_text(name, p["value"]), "ver": p["version"], "f": p["effective_from"]}])


def _value_text(name: str, value) -> str:
    """A parameter's value as the parameters page reads it (servicedesk.param_specs.display: each cell by its
    label, in the reader's language), never a Python dict (rule 2)."""
    from servicedesk.param_specs import display, spec_for

    parts = display(spec_for(name), value)
    return "; ".join(f"{label} {text}".strip() for label, text in parts)


def write_workbook(report, output) -> None:
    body = report.data
    d = body["department"]
    wb, fmt = open_workbook(output)
    _technicians_sheet(wb, fmt, body)
    _department_sheet(wb, fmt, d)
    _table_sheets(wb, fmt, body, d)
    _notes_sheet(wb, fmt, report, body)
    wb.close()
