"""The four lists an administrator keeps (SPEC §1–2): their columns, titles and sheet names.

A header or a sheet name may be written in Chinese or in English (rule 7: a template downloaded in English comes
back in English); a choice (client kind, department, role…) may be its label in either language or its code.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import override


@dataclass(frozen=True)
class Column:
    key: str
    title: object  # a lazy translation
    required: bool = False


@dataclass(frozen=True)
class ListSpec:
    kind: str
    title: object
    columns: tuple

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def title_of(self, key: str) -> str:
        found = [c for c in self.columns if c.key == key]
        return str(found[0].title) if found else ""


CLIENTS = ListSpec("clients", _l("客户"), (
    Column("name", _l("客户名称"), True),
    Column("department", _l("所属部门"), True),
    Column("kind", _l("客户类型"), True),
    Column("phone", _l("电话")),
    Column("agreement_start", _l("外包服务协议开始日期")),
    Column("software_entitlement", _l("软件免费服务方式")),
    Column("salesperson", _l("业务员用户名")),
    Column("notes", _l("备注")),
))
SITES = ListSpec("sites", _l("网点"), (
    Column("client", _l("客户名称"), True),
    Column("name", _l("网点名称"), True),
    Column("address", _l("地址"), True),
    Column("area", _l("区域"), True),
    Column("contact_name", _l("联系人"), True),
    Column("phone", _l("联系电话"), True),
    Column("resident", _l("驻点单位")),
))
EQUIPMENT = ListSpec("equipment", _l("设备"), (
    Column("client", _l("客户名称"), True),
    Column("site", _l("网点名称")),
    Column("model", _l("设备型号"), True),
    Column("serial", _l("序列号"), True),
    Column("manufacturer", _l("厂商")),
    Column("quantity", _l("数量")),
    Column("installed_on", _l("安装验收日期")),
    Column("manufacturer_warranty_end", _l("厂商保修截止")),
    Column("company_warranty_end", _l("公司保修截止")),
))
STAFF = ListSpec("staff", _l("员工"), (
    Column("username", _l("用户名"), True),
    Column("name", _l("姓名"), True),
    Column("roles", _l("角色")),
    Column("area", _l("负责区域")),
    Column("team", _l("班组")),
    Column("phone", _l("手机")),
    Column("active", _l("在职")),
))

# The order of the writes: staff first (a client names its salesperson), then clients, their sites, equipment.
LISTS = (STAFF, CLIENTS, SITES, EQUIPMENT)
BY_KIND = {spec.kind: spec for spec in LISTS}
# The order of the sheets in an export or a template (the department's own order of thinking).
SHEET_ORDER = (CLIENTS, SITES, EQUIPMENT, STAFF)


def spellings(label) -> list[str]:
    """Every way a label may be written: its Chinese source and its reading in each of the product's languages."""
    out = []
    source = getattr(label, "_args", None)
    if source and isinstance(source[0], str):
        out.append(source[0])
    for code, _name in settings.LANGUAGES:
        with override(code):
            out.append(str(label))
    return [s for i, s in enumerate(out) if s and s not in out[:i]]


def fold(text) -> str:
    return str(text).strip().casefold()


def fold_header(text) -> str:
    """A header as the import compares it: any case, and the template's "*" (required) mark ignored."""
    return fold(text).rstrip("*").strip()


def by_spelling(pairs) -> dict:
    """{folded spelling: value} over (value, label) pairs; the codes themselves are accepted too."""
    out = {}
    for value, label in pairs:
        out.setdefault(fold(value), value)
        for s in spellings(label):
            out.setdefault(fold(s), value)
    return out


def header_map(spec: ListSpec) -> dict:
    """{folded title in any language, or the key itself: key}."""
    out = {}
    for column in spec.columns:
        out.setdefault(fold(column.key), column.key)
        for s in spellings(column.title):
            out.setdefault(fold(s), column.key)
    return out


def kind_of_sheet(name: str) -> str | None:
    wanted = fold(name)
    for spec in LISTS:
        if wanted in {fold(s) for s in spellings(spec.title)} or wanted == spec.kind:
            return spec.kind
    return None


def kind_of_headers(headers) -> str | None:
    """The list whose required columns a header row has (the most columns matched wins); None when none fits."""
    best, best_score = None, 0
    folded = [fold_header(h) for h in headers if h is not None]
    for spec in LISTS:
        names = header_map(spec)
        keys = {names[h] for h in folded if h in names}
        if all(c.key in keys for c in spec.columns if c.required) and len(keys) > best_score:
            best, best_score = spec.kind, len(keys)
    return best
