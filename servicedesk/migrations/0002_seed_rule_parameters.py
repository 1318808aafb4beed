"""Seed every default of docs/rules.md as a rule parameter effective from 2000-01-01.

Decimals are strings (no float near money). Later changes are new versions with
their own effective date, made by a manager; this migration is never edited.
"""
from datetime import date

from django.db import migrations

D, I, T = "decimal", "integer", "table"

DEFAULTS = [
    # name, kind, value, unit, rule, description
    # --- §3 dispatch and SLA ---
    ("sla.mobile_depart_minutes", I, 10, "分钟", "R-W4", "流动服务:派单后出发时限"),
    ("sla.resident_arrive_minutes", I, 5, "分钟", "R-W5", "驻点服务:报修后到达时限"),
    ("sla.resident_phone_answer_minutes", I, 1, "分钟", "R-W5", "驻点服务:忙时电话答复时限"),
    ("sla.contact_client_minutes", I, 15, "分钟", "R-W6", "派单后联系客户、确认预计到达时间的时限"),
    ("dispatch.max_visits_per_day", I, 3, "次", "R-W8", "技术员每天上门次数上限(超过则提醒)"),
    ("visit.max_duration_minutes", I, 120, "分钟", "R-W10", "单次上门服务时长上限(超过则标记,不拒绝)"),
    ("carry_in.return_within_days", I, 2, "天", "R-W13", "送修设备修好后留在公司的最长天数"),
    ("carry_in.return_warning_hours", I, 24, "小时", "R-W13", "返还期限前多少小时提醒(决定)"),
    ("second_service.window_days", I, 30, "天", "R-W14", "同一客户同一设备同一故障在此天数内再次上门为二次服务(决定)"),
    # --- §4 callbacks ---
    ("callback.first_opens_hours", I, 24, "小时", "R-K2", "首次服务回访:完成后最早回访时间"),
    ("callback.first_due_hours", I, 72, "小时", "R-K2", "首次服务回访:完成后最迟回访时间"),
    ("callback.second_service_due_hours", I, 24, "小时", "R-K2", "二次服务回访时限"),
    ("callback.part_replaced_due_hours", I, 24, "小时", "R-K2", "更换配件的服务回访时限"),
    ("callback.max_attempts", I, 3, "次", "R-K6", "无人接听重拨次数,达到后记为无法联系"),
    ("callback.coverage_target_percent", D, "30", "%", "R-K8", "每月回访客户覆盖率目标(以上)"),
    ("callback.violation_points_per_item", I, 2, "分", "R-K4", "回访第 1–4 项每项“否”建议的 P6 扣分"),
    # --- §5 resident and team service ---
    ("resident.documents_due_working_day", I, 5, "工作日", "R-R4", "驻点月度资料截止:次月第 N 个工作日(决定)"),
    ("team.min_person_days", I, 10, "人天", "R-R5", "团队服务起点:工作量人天(以上)"),
    ("team.min_technicians", I, 4, "人", "R-R5", "团队服务预计人数(以上)"),
    ("team.min_working_days", I, 2, "工作日", "R-R5", "团队服务预计工期(以上)"),
    # --- §6 charges ---
    ("billing.onsite_fee", D, "50.00", "元", "R-P6", "上门费(每次上门最多收一次)"),
    ("billing.installation_fee", D, "60.00", "元", "R-P2", "安装费"),
    ("billing.part_markup", D, "1.25", "倍", "R-P1", "配件:成本加价倍数"),
    ("billing.consumable_markup", D, "1.36", "倍", "R-P2", "耗材:成本加价倍数"),
    ("billing.repair_markup", D, "1.36", "倍", "R-P4", "其他维修:维修成本加价倍数"),
    ("billing.repair_lcd_monitor", D, "150.00", "元", "R-P3", "液晶显示器维修固定价"),
    ("billing.repair_crt_monitor", D, "80.00", "元", "R-P3", "CRT 显示器维修固定价"),
    ("billing.repair_motherboard", D, "80.00", "元", "R-P3", "主板维修固定价"),
    ("billing.software_os_install", D, "50.00", "元/次", "R-P5", "操作系统安装 (XP/2000/7/2003/2008…)"),
    ("billing.software_office_tools", D, "20.00", "元/次", "R-P5", "Office 及常用工具软件安装"),
    ("billing.free_software_visits", I, 3, "次", "R-B2", "投标部客户安装后软件问题免费上门次数"),
    ("billing.software_free_working_days", I, 15, "工作日", "R-B3", "安装后软件免费服务期(工作日)"),
    # --- §7 penalty points: min/max points, dismissal mark ---
    ("penalty.P1", T, {"min": 5, "max": 20, "dismissal": "never", "offence": "不服从协调员派单"}, "分", "P1", "不服从协调员派单"),
    ("penalty.P2", T, {"min": 10, "max": 10, "dismissal": "serious", "offence": "服务态度差,与客户争执"}, "分", "P2", "服务态度差,与客户争执"),
    ("penalty.P3", T, {"min": 10, "max": 10, "dismissal": "second_time", "offence": "服务单与实际工作不符"}, "分", "P3", "服务单与实际工作不符"),
    ("penalty.P4", T, {"min": 2, "max": 2, "dismissal": "never", "offence": "服务单填写不规范"}, "分", "P4", "服务单填写不规范(每张)"),
    ("penalty.P5", T, {"min": 2, "max": 2, "dismissal": "never", "offence": "桌面、工作台或设备不整洁"}, "分", "P5", "桌面、工作台或设备不整洁"),
    ("penalty.P6", T, {"min": 2, "max": 2, "dismissal": "never", "offence": "违反工程师操作规范"}, "分", "P6", "违反工程师操作规范(每项)"),
    ("penalty.P7", T, {"min": 5, "max": 5, "dismissal": "never", "offence": "响应不及时"}, "分", "P7", "响应不及时"),
    ("penalty.P8", T, {"min": 10, "max": 10, "dismissal": "serious", "offence": "因本人工作被客户投诉"}, "分", "P8", "因本人工作被客户投诉"),
    ("penalty.P8.joint", T, {"team_lead": {"min": 10, "max": 10}, "manager": {"min": 5, "max": 10}, "supervisor": {"min": 5, "max": 15}}, "分", "P8", "监管不力的连带责任:技术组长、部门经理、监督领导"),
    ("penalty.P9", T, {"min": 5, "max": 5, "dismissal": "serious", "offence": "个人失误影响工作质量"}, "分", "P9", "个人失误影响工作质量(每次)"),
    ("penalty.P10", T, {"min": 50, "max": 50, "dismissal": "always", "offence": "严重违反职业道德"}, "分", "P10", "严重违反职业道德"),
    ("penalty.P11", T, {"min": 2, "max": 2, "dismissal": "never", "offence": "不按业务流程或部门制度办事"}, "分", "P11", "不按业务流程或部门制度办事(每次)"),
    ("penalty.yuan_per_point", D, "0.00", "元/分", "R-N3", "每分折算金额(0 = 只统计不扣款)"),
    # --- §8 rewards, allowances and fines ---
    ("bonus.workload_scores", T, {"install": "1", "commissioning": "1", "repair": "1", "maintenance": "1", "software": "1"}, "分", "R-M1", "流动服务每类已解决上门的工作量分值"),
    ("bonus.mobile_rank_rewards", T, ["100.00", "70.00"], "元", "R-M1", "月度排名奖励:第 1 名、第 2 名"),
    ("bonus.mobile_rank_min_rate", D, "95", "%", "R-M1", "获得排名奖励所需很满意率(以上)"),
    ("bonus.mobile_fine_rate", D, "80", "%", "R-M2", "很满意率在此以下(含)罚款"),
    ("bonus.mobile_fine_complaints", I, 1, "次", "R-M2", "当月客户投诉达到此次数(以上)罚款"),
    ("bonus.mobile_fine_amount", D, "100.00", "元", "R-M2", "流动服务罚款金额"),
    ("bonus.resident_allowance", D, "300.00", "元", "R-M3", "驻点补贴(客户评价很好/好且资料按时)"),
    ("bonus.resident_fine_lead", D, "100.00", "元", "R-M4", "驻点评价较差/差:驻点组长罚款"),
    ("bonus.resident_fine_member", D, "200.00", "元", "R-M4", "驻点评价较差/差:每位驻点技术员罚款"),
    ("bonus.team_lead_reward", D, "100.00", "元", "R-M5", "团队服务客户满意:组长奖励"),
    ("bonus.team_member_reward", D, "50.00", "元", "R-M5", "团队服务客户满意:每位组员奖励"),
    ("bonus.team_lead_fine", D, "100.00", "元", "R-M5", "团队服务客户不满意:组长罚款"),
    (
        "bonus.maintenance_pool",
        T,
        [
            {"up_to": "20000", "inclusive": True, "pool": "200", "manager": "0", "department": "200"},
            {"up_to": "50000", "inclusive": True, "pool": "500", "manager": "100", "department": "400"},
            {"up_to": "100000", "inclusive": True, "pool": "800", "manager": "150", "department": "650"},
            {"up_to": "300000", "inclusive": False, "pool": "1200", "manager": "200", "department": "1000"},
            {"up_to": None, "inclusive": True, "pool": None, "manager": None, "department": None},
        ],
        "元",
        "R-M6",
        "设备维保类项目奖金池(合同金额分段;≥30万由经理逐项目确定)",
    ),
    (
        "bonus.construction_pool",
        T,
        [
            {"up_to": "20000", "inclusive": True, "pool": "150"},
            {"up_to": "50000", "inclusive": True, "pool": "400"},
            {"up_to": "100000", "inclusive": True, "pool": "600"},
            {"up_to": "300000", "inclusive": False, "pool": "1000"},
            {"up_to": None, "inclusive": True, "pool": "1500"},
        ],
        "元",
        "R-M6",
        "建设型项目奖金池(合同金额分段)",
    ),
    ("bonus.construction_weights", T, {"manager": "1.2", "member": "1.0"}, "权重", "R-M6", "建设型项目奖金分配权重"),
    ("bonus.late_documents_daily_percent", D, "5", "%", "R-M8", "项目资料每迟交一天扣除责任人奖金比例"),
    # --- §9 receivables ---
    ("receivables.retail_due_working_days", I, 7, "工作日", "R-S3", "零散客户回款期限(工作日)"),
    ("receivables.ageing_buckets", T, [30, 60, 90], "天", "R-S8", "账龄分段上限(逾期天数):1–30 / 31–60 / 61–90 / >90"),
    ("receivables.overdue_penalty_rule", T, {"rule": "P11", "points": 2}, "分", "R-S5", "技术员原因逾期建议的处罚"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    for name, kind, value, unit, rule, description in DEFAULTS:
        RuleParameter.objects.get_or_create(
            name=name,
            effective_from=date(2000, 1, 1),
            defaults=dict(kind=kind, value=value, unit=unit, rule=rule, description=description, note="docs/rules.md 默认值"),
        )


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("servicedesk", "RuleParameter")
    RuleParameter.objects.filter(effective_from=date(2000, 1, 1), name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
