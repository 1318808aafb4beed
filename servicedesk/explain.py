"""One reading of the parameters behind a number (rule 2): every page that shows why a charge, reward, fine,
penalty or deadline came out as it did renders the stored parameter records through `param_sentence`.

A stored record is `ParamValue.as_explanation()`: {"name", "value", "version", "effective_from"} (older rows may
lack "value" or "effective_from"). The sentence carries the parameter's human name from the catalogue
(`servicedesk.param_specs`), its value formatted for the reader (money as ¥12,800.00, units, yes/no, labelled
table cells) and the date the version took effect — never the parameter key, a dict or a list.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .param_specs import BOOL, LIST, NESTED, RECORD, ROWS, SPECS
from .templatetags.money import format_yuan


def param_label(name: str) -> str:
    """The catalogue's name of a parameter in the current language; a neutral word for one not catalogued."""
    spec = SPECS.get(name or "")
    return str(spec.label) if spec is not None else _("规则参数")


def _tier_band(rows: list, index: int) -> str:
    """"¥20,000.00–¥50,000.00" (the contract amounts a pool table's row covers)."""
    lower = rows[index - 1].get("up_to") if index > 0 else None
    upper = rows[index].get("up_to")
    if upper is None:
        return _("%(lo)s 以上") % {"lo": format_yuan(lower)} if lower is not None else _("全部金额")
    return f"{format_yuan(lower) if lower is not None else format_yuan(0)}–{format_yuan(upper)}"


def _list_sep() -> str:
    return _("、")  # "a、b" in Chinese, "a, b" in English


def _group_sep() -> str:
    return _(";")


def _row_text(spec, row: dict) -> str:
    parts = []
    for cell in spec.cells:
        if cell.kind == BOOL or cell.key == "up_to":
            continue
        text = display_cell(cell, (row or {}).get(cell.key))
        parts.append(f"{cell.label} {text}")
    return _list_sep().join(parts)


# The catalogue's units are stored as data ("分", "元/次"); their reading in the current language.
UNITS = {
    "分钟": gettext_lazy("%(v)s 分钟"), "小时": gettext_lazy("%(v)s 小时"), "天": gettext_lazy("%(v)s 天"), "工作日": gettext_lazy("%(v)s 个工作日"),
    "月": gettext_lazy("%(v)s 个月"), "次": gettext_lazy("%(v)s 次"), "分": gettext_lazy("%(v)s 分"), "%": gettext_lazy("%(v)s %%"), "倍": gettext_lazy("%(v)s 倍"),
    "人": gettext_lazy("%(v)s 人"), "人天": gettext_lazy("%(v)s 人天"), "家次": gettext_lazy("%(v)s 家次"), "行": gettext_lazy("%(v)s 行"),
    "字符": gettext_lazy("%(v)s 个字符"), "MB": gettext_lazy("%(v)s MB"),
}
MONEY_UNITS = {"元/次": gettext_lazy("%(v)s/次"), "元/分": gettext_lazy("%(v)s/分")}


def display_cell(cell, value) -> str:
    """One cell's value for the reader (money, units, yes/no, labelled choices)."""
    from .param_specs import CHOICE, DEC, INT

    if value is None or value == "":
        return "—"
    if cell.kind == BOOL:
        return _("是") if value else _("否")
    if cell.kind == CHOICE:
        return str(dict(cell.choices).get(value, value))
    if cell.kind == DEC and cell.unit == "元":
        return format_yuan(value)
    if cell.kind == DEC and cell.unit in MONEY_UNITS:
        return str(MONEY_UNITS[cell.unit]) % {"v": format_yuan(value)}
    if cell.kind in (DEC, INT) and cell.unit in UNITS:
        return str(UNITS[cell.unit]) % {"v": value}
    if cell.kind in (DEC, INT) and cell.unit:
        from .param_specs import unit_name

        return f"{value} {unit_name(cell.unit)}"
    return str(value)


def param_value_text(name: str, value, *, inputs: dict | None = None) -> str:
    """The value of `name` in words: a scalar with its unit or as money; one table row when `inputs` say which
    tier applied (pool tables), otherwise the whole table in labelled cells."""
    spec = SPECS.get(name or "")
    if spec is None:
        if isinstance(value, (dict, list)):
            return ""
        return str(value)
    if not spec.is_table:
        return display_cell(spec.scalar, value)
    if spec.kind == ROWS and isinstance(value, list):
        tier = (inputs or {}).get("tier")
        try:
            index = int(tier) - 1 if tier is not None else None
        except (TypeError, ValueError):
            index = None
        if index is not None and 0 <= index < len(value):
            return _("合同金额 %(band)s 档:%(row)s") % {"band": _tier_band(value, index), "row": _row_text(spec, value[index])}
        return _group_sep().join(
            _("%(band)s 档:%(row)s") % {"band": _tier_band(value, i), "row": _row_text(spec, row)} for i, row in enumerate(value)
        )
    if spec.kind == RECORD and isinstance(value, dict):
        from .param_specs import offence_text

        def cell_text(c, v):  # a penalty clause's seeded offence reads in the reader's words (rule 7)
            return offence_text(spec, v) if c.key == "offence" and isinstance(v, str) else display_cell(c, v)

        return _list_sep().join(f"{c.label} {cell_text(c, value.get(c.key))}" for c in spec.cells)
    if spec.kind == NESTED and isinstance(value, dict):
        return _group_sep().join(
            f"{glabel} " + _list_sep().join(f"{c.label} {display_cell(c, (value.get(g) or {}).get(c.key))}" for c in spec.cells)
            for g, glabel in spec.groups
        )
    if spec.kind == LIST and isinstance(value, list):
        return " / ".join(display_cell(spec.cells[0], v) for v in value)
    return ""


def param_sentence(record: dict, *, inputs: dict | None = None) -> str:
    """"建设型项目奖金池 合同金额 ¥20,000.00–¥50,000.00 档:奖金池 ¥400.00,自 2000-01-01 起"."""
    if not isinstance(record, dict):
        return ""
    name = record.get("name", "")
    text = param_label(name)
    if "value" in record and record.get("value") not in (None, ""):
        value_text = param_value_text(name, record["value"], inputs=inputs)
        if value_text:
            text = _("%(name)s:%(value)s") % {"name": text, "value": value_text}
    since = record.get("effective_from")
    if since:
        text = _("%(text)s,自 %(date)s 起") % {"text": text, "date": since}
    return text


def param_records(explanation) -> list[dict]:
    """The parameter records an explanation carries, whichever key it stored them under."""
    if not isinstance(explanation, dict):
        return []
    found: list = []
    for key in ("params", "parameters"):
        value = explanation.get(key)
        if isinstance(value, list):
            found.extend(v for v in value if isinstance(v, dict))
        elif isinstance(value, dict):
            found.extend(v for v in value.values() if isinstance(v, dict))
    for key in ("param", "rule", "joint"):
        value = explanation.get(key)
        if isinstance(value, dict) and "name" in value:
            found.append(value)
    return found


def param_sentences(explanation_or_records, *, inputs: dict | None = None) -> list[str]:
    """Every parameter sentence of an explanation dict (or of a list of records), without repeats."""
    if isinstance(explanation_or_records, dict) and "name" in explanation_or_records and "version" in explanation_or_records:
        records = [explanation_or_records]  # a single stored record
    elif isinstance(explanation_or_records, dict):
        records = param_records(explanation_or_records)
        inputs = inputs if inputs is not None else explanation_or_records.get("inputs")
    else:
        records = [r for r in (explanation_or_records or []) if isinstance(r, dict)]
    out: list[str] = []
    for r in records:
        s = param_sentence(r, inputs=inputs if isinstance(inputs, dict) else None)
        if s and s not in out:
            out.append(s)
    return out

