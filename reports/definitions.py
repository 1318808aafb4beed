"""The figures' definitions: shown under the tables, on the technician's phone and in the Excel notes sheet."""
from django.utils.translation import gettext_lazy as _

DEFINITIONS = [
    ("resolved_visits", _("已解决上门"), _("当月完成服务单(完成时间在当月,上海时间)的次数,按服务方式和服务内容分列(R-W10)。")),
    ("visits", _("客户拜访"), _("当月在客户处完成的服务次数(送修件在公司维修的不计)。")),
    ("targets", _("月度目标"), _("每位技术员每月至少解决 %(r)s 家次客户问题、拜访 %(v)s 家次客户(规则参数“%(rn)s”“%(vn)s”)。")),
    ("workload_score", _("工作量分"), _("流动服务已解决上门次数 × 各服务内容的分值(规则参数“%(wn)s”,默认每次 1 分)(R-M1)。")),
    ("sla_compliance", _("SLA 达标率"), _("当月到期的响应时限中按时完成的比例:按时完成数 ÷ 到期数(R-W4 出发、R-W5 驻点到达/电话答复、R-W6 联系客户;已作废的不计)。没有到期的时限时为“—”。")),
    ("callbacks", _("已回访"), _("当月完成的服务中已接通并记录答案的回访数(R-K3)。")),
    ("very_satisfied_rate", _("很满意率"), _("很满意的回访 ÷ 已接通的回访(R-K9)。没有已接通的回访时为“—”,不是 0%% 也不是 100%%。")),
    ("complaints", _("投诉"), _("当月登记的客户投诉数(R-K5)。")),
    ("penalty_points", _("确认扣分"), _("事件日期在当月、已确认的扣分合计及其金额(R-N3)。")),
    ("rewards_fines", _("奖励 / 罚款"), _("取自当月月结单(R-M1–R-M6);月结尚未完成时为“—”。")),
    ("sales", _("销售 / 回款"), _("当月确认的销售金额及当月收到的回款(R-S1、R-S4)。")),
    ("callback_coverage", _("回访覆盖率"), _("当月被回访(已接通)的客户 ÷ 当月服务的客户,目标 ≥ %(t)s%%(R-K8)。")),
    ("overdue_callbacks", _("逾期回访"), _("当月完成的服务中回访超过时限的数量(R-K7)。")),
    ("receivables", _("应收账龄"), _("月末(%(d)s)未收余额按逾期天数分段(R-S8)。")),
    ("snapshot", _("快照"), _("报表编制时保存全部数字;同样的数据重新编制得到完全相同的报表;已审批的月份不再改变(R-T2)。")),
]


def definitions(body: dict) -> list[tuple[str, str, str]]:
    """[(key, label, text)] with the month's parameter values filled in."""
    d = body["department"]
    from servicedesk.explain import param_label

    fill = {"r": d["target_resolutions"], "v": d["target_visits"], "t": d["coverage_target"], "d": d["receivables_as_of"],
            # parameters by their names (rule 2), never their keys
            "rn": param_label("report.target_resolutions"), "vn": param_label("report.target_visits"),
            "wn": param_label("bonus.workload_scores")}
    out = []
    for key, label, text in DEFINITIONS:
        text = str(text)
        try:
            text = text % fill
        except (KeyError, TypeError, ValueError):
            pass
        out.append((key, str(label), text))
    return out
