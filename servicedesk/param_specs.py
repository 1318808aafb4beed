"""Type, range, unit and SPEC section of every rule parameter (docs/developers.md rule 2): a value outside its
range is refused on the page and the API, naming the parameter (docs/rules.md §6: a negative fee is refused).

`SPECS[name]` describes one parameter; `spec_for(name, kind)` falls back to a safe
spec (a number ≥ 0, or a free table) for a parameter not listed yet. Adding a
parameter is one line in `_ENTRIES` (scalars) or `_TABLES` (tables).

`validate(name, value, kind=…)` normalises a value (decimals as strings, whole
numbers as int, tables with their typed cells) and raises `ParameterValueError`
with a translated message that names the parameter and the offending cell.
Both the page (`forms.py`) and the API (`api.py`) go through
`servicedesk.params.schedule_param`, which calls it: one place validates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

DEC, INT, TEXT, BOOL, CHOICE = "decimal", "integer", "text", "bool", "choice"
# table shapes
RECORD = "record"  # {key: scalar} with fixed keys
NESTED = "nested"  # {group: {key: scalar}} with fixed groups and keys
LIST = "list"  # [scalar, …] variable rows
ROWS = "rows"  # [{key: scalar}, …] variable rows
JSON = "json"  # unknown table: free JSON (fallback only)

SECTIONS = {
    "3": _("§3 工单与派工"),
    "4": _("§4 回访"),
    "5": _("§5 驻点与团队服务"),
    "6": _("§6 服务收费"),
    "7": _("§7 处罚条例"),
    "8": _("§8 奖励、补贴与罚款"),
    "9": _("§9 销售回款"),
    "10": _("§10 月度报表"),
    "": _("其他参数"),
}


class ParameterValueError(DomainError):
    """A value outside its parameter's type or range. `cell` names the form input ("value", "value__min", "value__2__pool")."""

    def __init__(self, message, *, cell: str = "value"):
        super().__init__(message, field="value", code="parameter_value")
        self.cell = cell


@dataclass(frozen=True)
class Cell:
    """One scalar: a parameter's value or one cell of a table."""

    kind: str = DEC
    min: Decimal | None = Decimal(0)
    max: Decimal | None = None
    unit: str = ""
    label: Any = ""
    key: str = ""
    choices: tuple = ()
    nullable: bool = False  # blank allowed (stored as null), e.g. the open-ended last bucket
    places: int | None = None  # decimals: at most this many places


@dataclass(frozen=True)
class ParamSpec:
    name: str
    kind: str  # DEC / INT scalar, or a table shape
    section: str
    label: Any
    unit: str = ""
    min: Decimal | None = Decimal(0)
    max: Decimal | None = None
    cells: tuple = ()  # RECORD / ROWS: the columns; LIST: one Cell for every item
    groups: tuple = ()  # NESTED: ((key, label), …)
    increasing: str = ""  # LIST/ROWS: key (or "" for LIST items) that must strictly increase
    min_le_max: bool = False  # RECORD / NESTED: cell "min" ≤ cell "max"
    explicit: bool = True

    @property
    def is_table(self) -> bool:
        return self.kind not in (DEC, INT)

    @property
    def scalar(self) -> Cell:
        return Cell(kind=self.kind, min=self.min, max=self.max, unit=self.unit, label=self.label)


def _d(x):
    return None if x is None else Decimal(str(x))


def S(name, kind, lo, hi, unit, section, label, places=None):
    return ParamSpec(name, kind, section, label, unit, _d(lo), _d(hi), cells=(Cell(kind, _d(lo), _d(hi), unit, label, places=places),))


# --- scalars: name, kind, min, max, unit, SPEC section, label -------------------------------------------------
_ENTRIES = [
    S("sla.mobile_depart_minutes", INT, 1, 1440, "分钟", "3", _("流动服务:派单后出发时限")),
    S("sla.travel_allowance_minutes", INT, 0, 1440, "分钟", "3", _("预约上门:路程预留时间")),
    S("sla.resident_arrive_minutes", INT, 1, 1440, "分钟", "3", _("驻点服务:报修后到达时限")),
    S("sla.resident_phone_answer_minutes", INT, 1, 1440, "分钟", "3", _("驻点服务:忙时电话答复时限")),
    S("sla.contact_client_minutes", INT, 1, 1440, "分钟", "3", _("派单后联系客户的时限")),
    S("dispatch.max_visits_per_day", INT, 1, 50, "次", "3", _("技术员每天上门次数上限")),
    S("visit.max_duration_minutes", INT, 10, 1440, "分钟", "3", _("单次上门服务时长上限")),
    S("carry_in.return_within_days", INT, 0, 365, "天", "3", _("送修设备修好后的返还期限")),
    S("carry_in.return_warning_hours", INT, 0, 720, "小时", "3", _("返还期限前提醒")),
    S("second_service.window_days", INT, 1, 365, "天", "3", _("二次服务认定天数")),
    S("callback.first_opens_hours", INT, 0, 720, "小时", "4", _("首次服务回访:最早时间")),
    S("callback.first_due_hours", INT, 1, 720, "小时", "4", _("首次服务回访:最迟时间")),
    S("callback.second_service_due_hours", INT, 1, 720, "小时", "4", _("二次服务回访时限")),
    S("callback.part_replaced_due_hours", INT, 1, 720, "小时", "4", _("更换配件的服务回访时限")),
    S("complaint.reply_hours", INT, 1, 720, "小时", "4", _("客户投诉答复期限")),
    S("callback.max_attempts", INT, 1, 20, "次", "4", _("无人接听重拨次数")),
    S("callback.coverage_target_percent", DEC, 0, 100, "%", "4", _("每月回访客户覆盖率目标")),
    S("callback.violation_points_per_item", INT, 0, 100, "分", "4", _("回访“否”项的扣分")),
    S("resident.documents_due_working_day", INT, 1, 23, "工作日", "5", _("驻点月度资料截止工作日")),
    S("team.min_person_days", INT, 1, 10000, "人天", "5", _("团队服务起点:工作量")),
    S("team.min_technicians", INT, 1, 1000, "人", "5", _("团队服务起点:人数")),
    S("team.min_working_days", INT, 1, 365, "工作日", "5", _("团队服务起点:工期")),
    S("billing.onsite_fee", DEC, 0, 100000, "元", "6", _("上门费"), places=2),
    S("billing.installation_fee", DEC, 0, 100000, "元", "6", _("安装费"), places=2),
    S("billing.part_markup", DEC, 1, 10, "倍", "6", _("配件加价倍数"), places=4),
    S("billing.consumable_markup", DEC, 1, 10, "倍", "6", _("耗材加价倍数"), places=4),
    S("billing.repair_markup", DEC, 1, 10, "倍", "6", _("其他维修加价倍数"), places=4),
    S("billing.repair_lcd_monitor", DEC, 0, 100000, "元", "6", _("液晶显示器维修固定价"), places=2),
    S("billing.repair_crt_monitor", DEC, 0, 100000, "元", "6", _("CRT 显示器维修固定价"), places=2),
    S("billing.repair_motherboard", DEC, 0, 100000, "元", "6", _("主板维修固定价"), places=2),
    S("billing.software_os_install", DEC, 0, 100000, "元/次", "6", _("操作系统安装"), places=2),
    S("billing.software_office_tools", DEC, 0, 100000, "元/次", "6", _("Office 及工具软件安装"), places=2),
    S("billing.free_software_visits", INT, 0, 100, "次", "6", _("软件问题免费上门次数")),
    S("billing.software_free_working_days", INT, 0, 250, "工作日", "6", _("安装后软件免费服务期")),
    S("penalty.yuan_per_point", DEC, 0, 10000, "元/分", "7", _("每分折算金额"), places=2),
    S("penalty.P3_dismissal_count", INT, 1, 20, "次", "7", _("P3 第几次确认时提出辞退标记")),
    S("bonus.mobile_rank_min_rate", DEC, 0, 100, "%", "8", _("排名奖励所需很满意率")),
    S("bonus.mobile_fine_rate", DEC, 0, 100, "%", "8", _("罚款的很满意率界线")),
    S("bonus.mobile_fine_complaints", INT, 1, 100, "次", "8", _("罚款的投诉次数")),
    S("bonus.mobile_fine_amount", DEC, 0, 100000, "元", "8", _("流动服务罚款金额"), places=2),
    S("bonus.resident_allowance", DEC, 0, 100000, "元", "8", _("驻点补贴"), places=2),
    S("bonus.resident_fine_lead", DEC, 0, 100000, "元", "8", _("驻点组长罚款"), places=2),
    S("bonus.resident_fine_member", DEC, 0, 100000, "元", "8", _("驻点技术员罚款"), places=2),
    S("bonus.team_lead_reward", DEC, 0, 100000, "元", "8", _("团队服务组长奖励"), places=2),
    S("bonus.team_member_reward", DEC, 0, 100000, "元", "8", _("团队服务组员奖励"), places=2),
    S("bonus.team_lead_fine", DEC, 0, 100000, "元", "8", _("团队服务组长罚款"), places=2),
    S("bonus.late_documents_daily_percent", DEC, 0, 100, "%", "8", _("项目资料每迟交一天扣奖金比例")),
    S("receivables.retail_due_working_days", INT, 1, 250, "工作日", "9", _("零散客户回款期限")),
    S("receivables.key_account_due_months", INT, 0, 12, "月", "9", _("大客户月结到期月数")),
    S("receivables.import_max_upload_mb", INT, 1, 100, "MB", "9", _("Excel 导入:上传文件大小上限")),
    S("receivables.import_max_unpacked_mb", INT, 1, 1000, "MB", "9", _("Excel 导入:解压后大小上限")),
    S("receivables.import_max_rows", INT, 1, 1000000, "行", "9", _("Excel 导入:最多数据行数")),
    S("receivables.import_max_cell_chars", INT, 20, 10000, "字符", "9", _("Excel 导入:单元格最多字符数")),
    S("receivables.import_inline_rows", INT, 0, 100000, "行", "9", _("Excel 导入:转为后台任务的行数")),
    S("security.grantor_conflict_days", INT, 0, 365, "天", "7", _("处罚处理人回避:账号创建或授权后的天数")),
    S("bonus.adjustment_lookback_months", INT, 0, 24, "月", "8", _("月度结算检查更正的月数")),
    S("resident.link_valid_days", INT, 1, 365, "天", "5", _("客户签名链接有效天数")),
    S("resident.link_attempts_per_hour", INT, 1, 10000, "次", "5", _("签名链接每小时尝试次数上限")),
    S("portal.link_valid_days", INT, 1, 3650, "天", "3", _("客户自助页面链接有效天数")),
    S("portal.link_attempts_per_hour", INT, 1, 10000, "次", "3", _("客户自助页面链接每小时访问次数上限(每个链接、每个来源地址)")),
    S("contract.inspection_ahead_days", INT, 0, 90, "天", "5", _("提前生成巡检工单的天数")),
    S("contract.renewal_reminder_days", INT, 0, 365, "天", "5", _("合同到期前提醒续约的天数")),
    S("report.target_visits", INT, 0, 500, "家次", "10", _("月报目标:每月拜访家次")),
    S("report.target_resolutions", INT, 0, 500, "家次", "10", _("月报目标:每月解决家次")),
]

DISMISSAL = (("never", _("否")), ("serious", _("情节严重时")), ("second_time", _("第二次")), ("always", _("是")))
PENALTY_CLAUSES = tuple((f"P{i}", f"P{i}") for i in range(1, 12))
CONTENTS = (
    ("install", _("安装")),
    ("commissioning", _("调试开机")),
    ("repair", _("维修")),
    ("maintenance", _("保养")),
    ("software", _("软件服务")),
)
_PTS = dict(kind=INT, min=Decimal(0), max=Decimal(100), unit="分")
_MONEY = dict(kind=DEC, min=Decimal(0), max=Decimal(10000000), unit="元", places=2)
_BOUND = dict(kind=DEC, min=Decimal(0), max=Decimal(1000000000), unit="元", places=2)


def _penalty(clause: str, label) -> ParamSpec:
    return ParamSpec(
        f"penalty.{clause}", RECORD, "7", label, "分",
        cells=(
            Cell(key="min", label=_("最低分"), **_PTS),
            Cell(key="max", label=_("最高分"), **_PTS),
            Cell(kind=CHOICE, key="dismissal", label=_("可否辞退"), choices=DISMISSAL, min=None),
            Cell(kind=TEXT, key="offence", label=_("违规内容"), min=None),
        ),
        min_le_max=True,
    )


def _pool(name, label, columns) -> ParamSpec:
    cells = [
        Cell(key="up_to", label=_("合同金额上限"), nullable=True, **_BOUND),
        Cell(kind=BOOL, key="inclusive", label=_("含上限"), min=None),
    ] + [Cell(key=k, label=lbl, nullable=True, **_MONEY) for k, lbl in columns]
    return ParamSpec(name, ROWS, "8", label, "元", cells=tuple(cells), increasing="up_to")


_TABLES = [
    _penalty("P1", _("P1 不服从协调员派单")),
    _penalty("P2", _("P2 服务态度差,与客户争执")),
    _penalty("P3", _("P3 服务单与实际工作不符")),
    _penalty("P4", _("P4 服务单填写不规范")),
    _penalty("P5", _("P5 桌面、工作台或设备不整洁")),
    _penalty("P6", _("P6 违反工程师操作规范")),
    _penalty("P7", _("P7 响应不及时")),
    _penalty("P8", _("P8 因本人工作被客户投诉")),
    _penalty("P9", _("P9 个人失误影响工作质量")),
    _penalty("P10", _("P10 严重违反职业道德")),
    _penalty("P11", _("P11 不按业务流程或部门制度办事")),
    ParamSpec(
        "penalty.P8.joint", NESTED, "7", _("P8 连带责任"), "分",
        groups=(("team_lead", _("技术组长")), ("manager", _("部门经理")), ("supervisor", _("监督领导"))),
        cells=(Cell(key="min", label=_("最低分"), **_PTS), Cell(key="max", label=_("最高分"), **_PTS)),
        min_le_max=True,
    ),
    ParamSpec(
        "bonus.workload_scores", RECORD, "8", _("每类上门的工作量分值"), "分",
        # R-M1: each service kind, and a finished carry-in repair (送修, "carry_in")
        cells=tuple(Cell(kind=DEC, min=Decimal(0), max=Decimal(100), unit="分", key=k, label=lbl)
                    for k, lbl in CONTENTS + (("carry_in", _("送修维修")),)),
    ),
    ParamSpec(
        "bonus.mobile_rank_rewards", LIST, "8", _("月度排名奖励(第 1 名、第 2 名…)"), "元",
        cells=(Cell(label=_("奖励"), **_MONEY),),
    ),
    _pool("bonus.maintenance_pool", _("设备维保类项目奖金池"), (("pool", _("奖金池")), ("manager", _("经理")), ("department", _("部门")))),
    _pool("bonus.construction_pool", _("建设型项目奖金池"), (("pool", _("奖金池")),)),
    ParamSpec(
        "bonus.construction_weights", RECORD, "8", _("建设型项目分配权重"), "",
        cells=(
            Cell(key="manager", label=_("项目经理"), min=Decimal(0), max=Decimal(10)),
            Cell(key="member", label=_("组员"), min=Decimal(0), max=Decimal(10)),
        ),
    ),
    ParamSpec(
        "receivables.ageing_buckets", LIST, "9", _("账龄分段上限(逾期天数)"), "天",
        cells=(Cell(kind=INT, min=Decimal(1), max=Decimal(3650), unit="天", label=_("上限")),),
        increasing="item",
    ),
    ParamSpec(
        "receivables.overdue_penalty_rule", RECORD, "9", _("技术员原因逾期建议的处罚"), "分",
        cells=(
            Cell(kind=CHOICE, key="rule", label=_("处罚条款"), choices=PENALTY_CLAUSES, min=None),
            Cell(key="points", label=_("扣分"), **_PTS),
        ),
    ),
]

SPECS: dict[str, ParamSpec] = {s.name: s for s in _ENTRIES + _TABLES}

# --- the catalogue's words on screen (rule 7): units, and the notes the seeded versions carry --------------------
# Units are stored with each parameter as data ("分钟", "元/次"); their name in the reader's language.
UNIT_NAMES = {
    "分钟": _("分钟"), "小时": _("小时"), "天": _("天"), "工作日": _("工作日"), "月": _("月"), "次": _("次"),
    "分": _("分"), "%": "%", "倍": _("倍"), "人": _("人"), "人天": _("人天"), "家次": _("家次"), "行": _("行"),
    "字符": _("字符"), "MB": "MB", "元": _("元"), "元/次": _("元/次"), "元/分": _("元/分"), "权重": _("权重"),
}


def unit_name(unit: str) -> str:
    """A stored unit in the reader's language; a unit not catalogued is shown as stored."""
    return str(UNIT_NAMES.get(unit or "", unit or ""))


# A seeded version's note says where its value came from ("R-W4 决定", "docs/rules.md 默认值"; older databases name
# the former specification file or a seed migration, "种子004 岗位职责"): read as the catalogue's words, never
# naming a file. Anything else is what a
# manager typed as the reason for a change and is shown as typed.
_SEED_NOTE = re.compile(
    r"^\s*(?:(?:SPEC\.md|docs/rules\.md|种子\s*\d+)\s*)?(?P<rules>R-[A-Z]+\d+(?:\s*/\s*R-[A-Z]+\d+)*)?\s*"
    r"(?P<kind>默认值|决定|岗位职责)\s*$"
)
_NOTE_KINDS = {
    "默认值": (_("默认值"), _("%(rules)s 默认值")),
    "决定": (_("决定"), _("%(rules)s 决定")),
    "岗位职责": (_("岗位职责"), _("%(rules)s 岗位职责")),
}


def seeded_note(note: str) -> str | None:
    """The catalogue's reading of a seeded version's note in the reader's language, or None for a typed note."""
    m = _SEED_NOTE.match(note or "")
    if m is None:
        return None
    bare, with_rules = _NOTE_KINDS[m.group("kind")]
    rules = re.sub(r"\s*/\s*", "/", m.group("rules") or "")
    return str(with_rules) % {"rules": rules} if rules else str(bare)


def offence_text(spec: ParamSpec, value: str) -> str:
    """A penalty clause's seeded offence (the words of its catalogue name, "P1 不服从协调员派单") in the reader's
    language; an offence a manager rewrote is shown as typed."""
    source = getattr(spec.label, "_args", [None])[0]
    if isinstance(source, str) and " " in source and value.strip() == source.split(" ", 1)[1]:
        shown = str(spec.label)
        return shown.split(" ", 1)[1] if shown.startswith(source.split(" ", 1)[0] + " ") else shown
    return value


_PREFIX_SECTION = {
    "sla": "3", "dispatch": "3", "visit": "3", "carry_in": "3", "second_service": "3", "callback": "4",
    "complaint": "4", "resident": "5", "team": "5", "billing": "6", "penalty": "7", "bonus": "8", "project": "8",
    "projects": "8", "receivables": "9", "reports": "10", "report": "10", "contract": "5",
}


def spec_for(name: str, kind: str = DEC, *, unit: str = "", label: str = "") -> ParamSpec:
    """The explicit spec, or a safe default from the stored kind: a number ≥ 0, or a free table."""
    if name in SPECS:
        return SPECS[name]
    section = _PREFIX_SECTION.get(name.split(".", 1)[0], "")
    if kind in (DEC, INT):
        return ParamSpec(name, kind, section, label or name, unit, Decimal(0), None,
                         cells=(Cell(kind, Decimal(0), None, unit, label or name),), explicit=False)
    return ParamSpec(name, JSON, section, label or name, unit, None, None, explicit=False)


_NUM = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """"R-W10" after "R-W9", "P11" after "P2"."""
    return tuple(int(p) if p.isdigit() else p for p in _NUM.split(text or ""))


def section_key(section: str) -> tuple:
    return (0, int(section)) if section.isdigit() else (1, 0)


# --- validation -------------------------------------------------------------------------------------------------


def _fmt(x: Decimal | None, cell: Cell) -> str:
    if x is None:
        return ""
    return f"{x}{(' ' + unit_name(cell.unit)) if cell.unit else ''}"


def _what(spec: ParamSpec, cell: Cell, where: str = "") -> str:
    """"上门费 (billing.onsite_fee)" or "设备维保类项目奖金池 (…) 第 2 行“经理”"."""
    text = f"{spec.label} ({spec.name})"
    if where:
        text += " " + where
    if spec.is_table and cell.label and spec.kind != LIST:
        text += f"“{cell.label}”"
    return text


def clean_cell(spec: ParamSpec, cell: Cell, raw, *, where: str = "", input_name: str = "value"):
    """One scalar → its stored form (Decimal as str, int, bool, str, None)."""
    what = _what(spec, cell, where)
    if cell.kind == BOOL:
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "on", "yes", "是")
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if cell.nullable:
            return None
        raise ParameterValueError(_("%(what)s 不能为空。") % {"what": what}, cell=input_name)
    if cell.kind == TEXT:
        if not isinstance(raw, str) or len(raw) > 200:
            raise ParameterValueError(_("%(what)s 须为不超过 200 字的文字。") % {"what": what}, cell=input_name)
        return raw
    if cell.kind == CHOICE:
        allowed = [c[0] for c in cell.choices]
        if raw not in allowed:
            raise ParameterValueError(
                _("%(what)s 须为以下之一:%(allowed)s。") % {"what": what, "allowed": "、".join(allowed)}, cell=input_name
            )
        return raw
    if isinstance(raw, bool):
        raise ParameterValueError(_("%(what)s:请输入数字。") % {"what": what}, cell=input_name)
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        msg = _("%(what)s:请输入整数。") if cell.kind == INT else _("%(what)s:请输入数字,如 12.50。")
        raise ParameterValueError(msg % {"what": what}, cell=input_name)
    if cell.kind == INT and number != number.to_integral_value():
        raise ParameterValueError(_("%(what)s:请输入整数。") % {"what": what}, cell=input_name)
    if cell.min is not None and number < cell.min:
        raise ParameterValueError(
            _("%(what)s 不能小于 %(min)s。") % {"what": what, "min": _fmt(cell.min, cell)}, cell=input_name
        )
    if cell.max is not None and number > cell.max:
        raise ParameterValueError(
            _("%(what)s 不能大于 %(max)s。") % {"what": what, "max": _fmt(cell.max, cell)}, cell=input_name
        )
    if cell.kind == INT:
        return int(number)
    if cell.places is not None and -number.as_tuple().exponent > cell.places:
        raise ParameterValueError(
            _("%(what)s 最多 %(n)s 位小数。") % {"what": what, "n": cell.places}, cell=input_name
        )
    return str(raw) if isinstance(raw, str) else str(number)


def validate(name: str, value, *, kind: str = DEC, unit: str = "", label: str = ""):
    """The normalised value of `name`, or ParameterValueError naming the parameter and cell."""
    spec = spec_for(name, kind, unit=unit, label=label)
    if not spec.is_table:
        return clean_cell(spec, spec.scalar, value)
    if spec.kind == JSON:
        if not isinstance(value, (dict, list)):
            raise ParameterValueError(_("%(what)s 须为表格 (JSON 对象或列表)。") % {"what": f"{spec.label} ({name})"})
        return value
    if spec.kind == RECORD:
        data = _need(spec, value, dict)
        out = {c.key: clean_cell(spec, c, data.get(c.key), input_name=f"value__{c.key}") for c in spec.cells}
        _check_min_max(spec, out, "")
        return out
    if spec.kind == NESTED:
        data = _need(spec, value, dict)
        out = {}
        for gkey, glabel in spec.groups:
            group = data.get(gkey) if isinstance(data.get(gkey), dict) else {}
            out[gkey] = {
                c.key: clean_cell(spec, c, group.get(c.key), where=str(glabel), input_name=f"value__{gkey}__{c.key}")
                for c in spec.cells
            }
            _check_min_max(spec, out[gkey], str(glabel), prefix=f"value__{gkey}__")
        return out
    if spec.kind == LIST:
        data = _need(spec, value, list)
        if not data:
            raise ParameterValueError(_("%(what)s 至少需要一行。") % {"what": f"{spec.label} ({name})"})
        cell = spec.cells[0]
        out = [
            clean_cell(spec, cell, item, where=_("第 %(n)s 行") % {"n": i + 1}, input_name=f"value__{i}")
            for i, item in enumerate(data)
        ]
        if spec.increasing:
            for i in range(1, len(out)):
                if Decimal(str(out[i])) <= Decimal(str(out[i - 1])):
                    raise ParameterValueError(
                        _("%(what)s 第 %(n)s 行须大于上一行。") % {"what": f"{spec.label} ({name})", "n": i + 1},
                        cell=f"value__{i}",
                    )
        return out
    # ROWS
    data = _need(spec, value, list)
    if not data:
        raise ParameterValueError(_("%(what)s 至少需要一行。") % {"what": f"{spec.label} ({name})"})
    out = []
    for i, row in enumerate(data):
        if not isinstance(row, dict):
            raise ParameterValueError(_("%(what)s 第 %(n)s 行格式不对。") % {"what": f"{spec.label} ({name})", "n": i + 1})
        where = _("第 %(n)s 行") % {"n": i + 1}
        out.append({c.key: clean_cell(spec, c, row.get(c.key), where=where, input_name=f"value__{i}__{c.key}") for c in spec.cells})
    if spec.increasing:
        key = spec.increasing
        for i in range(1, len(out)):
            prev, cur = out[i - 1][key], out[i][key]
            if prev is None or (cur is not None and Decimal(str(cur)) <= Decimal(str(prev))):
                raise ParameterValueError(
                    _("%(what)s 第 %(n)s 行的上限须大于上一行;只有最后一行可以不填上限。")
                    % {"what": f"{spec.label} ({name})", "n": i + 1},
                    cell=f"value__{i}__{key}",
                )
    return out


def _need(spec: ParamSpec, value, typ):
    if not isinstance(value, typ):
        shape = _("对象") if typ is dict else _("列表")
        raise ParameterValueError(_("%(what)s 须为%(shape)s。") % {"what": f"{spec.label} ({spec.name})", "shape": shape})
    return value


def _check_min_max(spec: ParamSpec, row: dict, where: str, prefix: str = "value__") -> None:
    if spec.min_le_max and row.get("min") is not None and row.get("max") is not None and row["min"] > row["max"]:
        raise ParameterValueError(
            _("%(what)s%(where)s 的最低分不能大于最高分。") % {"what": f"{spec.label} ({spec.name})", "where": where},
            cell=f"{prefix}min",
        )


# --- form support: flat inputs <-> table value ------------------------------------------------------------------


def value_from_post(spec: ParamSpec, data) -> Any:
    """Rebuild a value from flat inputs `value`, `value__key`, `value__i`, `value__i__key` (blank rows dropped)."""
    if not spec.is_table:
        return data.get("value", "")
    if spec.kind == JSON:
        import json

        try:
            return json.loads(data.get("value", ""))
        except (json.JSONDecodeError, TypeError) as exc:
            raise ParameterValueError(_("%(what)s 须为 JSON:%(err)s") % {"what": spec.name, "err": exc})
    if spec.kind == RECORD:
        return {c.key: _post_cell(c, data, f"value__{c.key}") for c in spec.cells}
    if spec.kind == NESTED:
        return {g: {c.key: data.get(f"value__{g}__{c.key}", "") for c in spec.cells} for g, _l in spec.groups}
    rows = sorted({int(m.group(1)) for k in data.keys() if (m := re.match(r"value__(\d+)", k))})
    if spec.kind == LIST:
        return [data.get(f"value__{i}") for i in rows if str(data.get(f"value__{i}", "")).strip() != ""]
    out = []
    for i in rows:
        row = {c.key: _post_cell(c, data, f"value__{i}__{c.key}") for c in spec.cells}
        if any(str(row[c.key]).strip() not in ("", "False", "None") for c in spec.cells if c.kind != BOOL):
            out.append(row)
    return out


def _post_cell(cell: Cell, data, name: str):
    if cell.kind == BOOL:
        return data.get(name) in ("1", "on", "true")
    return data.get(name, "")


def form_rows(spec: ParamSpec, value, *, extra: int = 1) -> list:
    """The inputs of one parameter's form, prefilled with `value`: a list of rows of
    {name, label, kind, value, choices, unit, min, max, step}; LIST/ROWS get `extra` blank rows."""

    def inp(cell: Cell, name: str, v):
        step = "1" if cell.kind == INT else ("0.01" if cell.places == 2 else "any")
        return {
            "name": name, "label": cell.label, "kind": cell.kind, "value": "" if v is None else v,
            "choices": cell.choices, "unit": unit_name(cell.unit), "min": cell.min, "max": cell.max, "step": step,
        }

    if not spec.is_table:
        return [{"label": "", "inputs": [inp(spec.scalar, "value", value)]}]
    if spec.kind == JSON:
        import json

        return [{"label": "", "inputs": [{"name": "value", "kind": JSON, "value": json.dumps(value, ensure_ascii=False), "label": ""}]}]
    if spec.kind == RECORD:
        value = value if isinstance(value, dict) else {}
        return [{"label": "", "inputs": [inp(c, f"value__{c.key}", value.get(c.key)) for c in spec.cells]}]
    if spec.kind == NESTED:
        value = value if isinstance(value, dict) else {}
        return [
            {"label": glabel, "inputs": [inp(c, f"value__{g}__{c.key}", (value.get(g) or {}).get(c.key)) for c in spec.cells]}
            for g, glabel in spec.groups
        ]
    items = list(value) if isinstance(value, list) else []
    items += [None] * extra
    if spec.kind == LIST:
        cell = spec.cells[0]
        return [{"label": i + 1, "inputs": [inp(cell, f"value__{i}", v)]} for i, v in enumerate(items)]
    return [
        {"label": i + 1, "inputs": [inp(c, f"value__{i}__{c.key}", (row or {}).get(c.key)) for c in spec.cells]}
        for i, row in enumerate(items)
    ]


def display(spec: ParamSpec, value) -> list[tuple[str, str]]:
    """A compact human reading of a value: [(label, text), …] (no raw dicts on the page)."""
    def one(cell: Cell, v):
        if v is None:
            return "—"
        if cell.kind == TEXT and cell.key == "offence" and isinstance(v, str):
            return offence_text(spec, v)
        if cell.kind in (BOOL, CHOICE, DEC, INT):
            from .explain import display_cell

            return display_cell(cell, v)
        return str(v)

    if not spec.is_table:
        return [("", one(spec.scalar, value))]
    if spec.kind == JSON:
        import json

        return [("", json.dumps(value, ensure_ascii=False)[:300])]
    if spec.kind == RECORD and isinstance(value, dict):
        return [(str(c.label), one(c, value.get(c.key))) for c in spec.cells]
    if spec.kind == NESTED and isinstance(value, dict):
        return [
            (str(glabel), " – ".join(one(c, (value.get(g) or {}).get(c.key)) for c in spec.cells))
            for g, glabel in spec.groups
        ]
    if spec.kind == LIST and isinstance(value, list):
        return [("", " / ".join(one(spec.cells[0], v) for v in value))]
    if spec.kind == ROWS and isinstance(value, list):
        return [
            (str(i + 1), " · ".join(f"{c.label} {one(c, (row or {}).get(c.key))}" for c in spec.cells if c.kind != BOOL))
            for i, row in enumerate(value)
        ]
    return [("", str(value))]
