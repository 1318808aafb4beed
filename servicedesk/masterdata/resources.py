"""django-import-export resources for the four lists (rule 4: the services call them inside one transaction).

Idempotent by natural keys (client name + department, client + site name, serial number, username): a row that
matches a record and changes nothing is "unchanged" (skipped, not written); re-importing a file changes nothing.
Fixed query counts (rule 8): every lookup a row needs — the existing records by natural key, the clients, sites and
staff a row names, the areas — is read once per sheet in `before_import`; no row queries the database (the model's
own `Equipment.clean` would: its serial check runs here against the loaded keys instead). New and changed records
are written in bulk with their history rows (simple_history), except staff, who go through the staff services one
by one (a department has tens of people, and the grant rules and the audit live there).

A row whose client (or salesperson, site) is itself a bad row of this file is held back without an error of its
own: the cause is named once, at its row.
"""
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..choices import ClientKind, Department, Role, SoftwareEntitlement
from ..models import Client, Equipment, Site, Staff
from ..quantities import QuantityError, parse_quantity
from ..validators import normalize_phone
from .columns import BY_KIND, by_spelling, fold, fold_header, header_map, spellings

YES = {fold(s) for s in ("是", "yes", "y", "true", "1", "√", "✓")} | {fold(s) for s in spellings(_("是"))}
NO = {fold(s) for s in ("否", "no", "n", "false", "0", "")} | {fold(s) for s in spellings(_("否"))}


def echo(value) -> str:
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= 30 else text[:30] + "…"


# --------------------------------------------------------------------------- widgets (one cell → one value)


class Text(widgets.Widget):
    """Text as typed; a number Excel stored (a phone, a serial) written back without ".0"; a formula's text kept."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (datetime, date)):
            value = value.strftime("%Y-%m-%d")
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Phone(Text):
    """A phone as people type it: the spaces dropped (the model keeps it so), the landline's hyphen kept."""

    def clean(self, value, row=None, **kwargs):
        return normalize_phone(super().clean(value))


class Day(widgets.Widget):
    """A date written YYYY-MM-DD, or an Excel date (a date cell, or its serial number)."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        text = str(value).strip()
        try:
            if len(text) == 10 and text[4] == "-" and text[7] == "-":
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise ValueError(_("“%(v)s”不是有效日期,请写成 YYYY-MM-DD(如 2026-03-01)或使用 Excel 日期格式。") % {"v": echo(text)})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class Choice(widgets.Widget):
    """One of a TextChoices, by its label in either language or its code."""

    def __init__(self, choices, default=None):
        super().__init__()
        self.choices, self.default = choices, default
        self.table = by_spelling(choices.choices)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.default is not None:
                return self.default
            raise ValueError(_("必填。"))
        found = self.table.get(fold(text))
        if found is None:
            raise ValueError(_("未知的取值“%(v)s”(可填:%(all)s)。") % {"v": echo(text), "all": "、".join(str(lab) for _v, lab in self.choices.choices)})
        return found

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class YesNo(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = fold("" if value is None else value)
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("请填写“是”或“否”。"))

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class Quantity(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return 1
        try:  # a number cell (2.0) or plain ASCII digits: float() would take "١٠٠", "１００", "1E+2", "1_000", "+5"
            return parse_quantity(value.strip() if isinstance(value, str) else value, field="quantity")
        except QuantityError:
            raise ValueError(_("数量应为正整数。")) from None


class Lookup(widgets.Widget):
    """A reference by natural key, resolved from what the resource loaded once (`resource.resolve_<name>`)."""

    def __init__(self, name):
        super().__init__()
        self.name = name
        self.resource = None

    def clean(self, value, row=None, **kwargs):
        return getattr(self.resource, f"resolve_{self.name}")(Text().clean(value), row)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.resource.render_ref(self.name, value)


# --------------------------------------------------------------------------- the shared behaviour


PROGRESS_EVERY = 500  # rows between two progress reports of a background import


class Blocked(Exception):
    """The row refers to a bad row of the same file; it is held back without an error of its own."""


class MasterDataResource(resources.ModelResource):
    """What the four resources share: lookups loaded once, natural keys, the rows' own numbers, the skipped
    (unchanged) rows counted, every write in bulk with its history rows, headers in either language."""

    list_kind = ""
    id_columns: tuple = ()
    fk_exclude: tuple = ()  # relations resolved from the lookups: never re-checked by a query in clean_fields()

    def __init__(self, *, by=None, now=None, rownos=None, blocked=None, progress=None, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress  # called with the rows of this sheet done so far, every PROGRESS_EVERY rows
        self.rows_done = 0
        self.by, self.now = by, now
        self.rownos = rownos
        self.blocked = blocked if blocked is not None else {}  # kind → natural keys of bad rows in this file
        self.bad_keys: set = set()
        self.seen: dict = {}  # natural key → the first row that had it
        self.changed: dict = {}  # row number → changed column keys
        for f in self.fields.values():
            if isinstance(f.widget, Lookup):
                f.widget.resource = self

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_diff = True  # no deep copy and no rendered diff per row: skip_row compares with a snapshot instead
        clean_model_instances = False
        use_bulk = True
        batch_size = 1000

    # -- rows and headers

    def rowno(self, kwargs) -> int:
        i = kwargs.get("row_number", 0)
        if self.rownos and 0 < i <= len(self.rownos):
            return self.rownos[i - 1]
        return i + 1  # the admin's own upload: the header is row 1

    def spec(self):
        return BY_KIND[self.list_kind]

    def before_import(self, dataset, **kwargs):
        """Headers in either language become the column keys (the admin's upload comes straight from the file)."""
        names = header_map(self.spec())
        dataset.headers = [names.get(fold_header(h), h) if h is not None else h for h in dataset.headers]
        missing = [str(c.title) for c in self.spec().columns if c.required and c.key not in dataset.headers]
        if missing:
            raise ValueError(_("缺少必填列:%(cols)s。") % {"cols": "、".join(missing)})
        if self.by is None:
            self.by = kwargs.get("user")
        if self.now is None:
            self.now = timezone.now()
        self.load(dataset)

    def get_export_headers(self, selected_fields=None):
        return [self.spec().title_of(f.column_name) or f.column_name for f in self.get_export_fields(selected_fields)]

    def load(self, dataset) -> None:
        raise NotImplementedError

    def natural_key(self, row):
        return tuple(fold(Text().clean(row.get(c))) for c in self.id_columns)

    def existing(self, key):
        return self.by_key.get(key)

    def get_instance(self, instance_loader, row):
        return self.existing(self.natural_key(row))

    def import_row(self, row, instance_loader, **kwargs):
        self._rowno = self.rowno(kwargs)
        self.rows_done += 1
        if self.progress is not None and self.rows_done % PROGRESS_EVERY == 0:
            self.progress(self.rows_done)  # a counter, no query of its own (the job decides where it goes)
        try:
            self.check_blocked(row)
        except Blocked:
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            result.blocked, result.rowno, result.changed = True, self._rowno, []
            self.bad_keys.add(self.natural_key(row))
            return result
        result = super().import_row(row, instance_loader, **kwargs)
        result.blocked, result.rowno = False, self._rowno
        result.changed = self.changed.get(result.rowno, [])
        if result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
            self.bad_keys.add(self.natural_key(row))
        return result

    def check_blocked(self, row) -> None:
        pass

    def get_import_fields(self):
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def after_init_instance(self, instance, new, row, **kwargs):
        """The values before the row is applied (what "unchanged" is measured against)."""
        self._snapshot = None if new else {f.column_name: f.get_value(instance) for f in self.get_import_fields()}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._snapshot is None:
            return False
        changed = [f.column_name for f in self.get_import_fields()
                   if f.column_name in row and f.get_value(instance) != self._snapshot[f.column_name]]
        self._last_changed = changed
        return not changed

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            self.changed[self.rowno(kwargs)] = getattr(self, "_last_changed", [])

    # -- validation without queries

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.clean_fields(exclude=set(errors) | set(self.fk_exclude))
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            self.check(instance, errors)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check(self, instance, errors) -> None:
        """The model's own rules and the natural keys, from the loaded lookups; raise ValidationError({field: …})."""

    def first_seen(self, key, rowno, field, message):
        """The natural key's first row in this file; a later row with the same key is named as a duplicate."""
        first = self.seen.setdefault(key, rowno)
        if first != rowno:
            raise ValidationError({field: message % {"r": first}})

    # -- writes: in bulk, with the history rows (simple_history) the admin and the audit read

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(self.create_instances, self._meta.model, batch_size=batch_size or 1000,
                                         default_user=self.by, default_date=self.now)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(self.update_instances, self._meta.model, self.update_fields(),
                                         batch_size=batch_size or 1000, default_user=self.by, default_date=self.now)
            finally:
                self.update_instances.clear()

    def update_fields(self) -> list[str]:
        return [f.attribute for f in self.get_import_fields() if f.attribute and f.column_name not in self.id_columns]


def _field(key, widget=None, attribute=None):
    return fields.Field(attribute=attribute or key, column_name=key, widget=widget or Text(), saves_null_values=True)


# --------------------------------------------------------------------------- staff


class StaffResource(MasterDataResource):
    """People by username: profile, roles and area. New accounts get an unusable password (they log in after
    someone with authority sets one: the staff page's "set password"); every grant goes through
    `check_role_change` (nobody grants what they could not grant by hand) and is audited by the staff services."""

    list_kind = "staff"
    id_columns = ("username",)
    fk_exclude = ("user", "team_lead", "resident_site")

    username = _field("username", attribute="import_username")
    name = _field("name")
    roles = _field("roles", Lookup("roles"), attribute="import_roles")
    area = _field("area")
    team = _field("team")
    phone = _field("phone", Phone())
    active = fields.Field(attribute="active", column_name="active", widget=YesNo())

    class Meta(MasterDataResource.Meta):
        model = Staff
        fields = ("username", "name", "roles", "area", "team", "phone", "active")
        import_id_fields = ("username",)
        use_bulk = False  # through the staff services (grants and their audit), one by one

    def load(self, dataset):
        wanted = {fold(Text().clean(v)) for v in dataset["username"]} if "username" in dataset.headers else set()
        self.by_key = {}
        for s in Staff.objects.select_related("user").prefetch_related("user__groups"):
            s.import_username, s.import_roles = s.user.username, list(s.roles)
            self.by_key[(fold(s.user.username),)] = s
        User = get_user_model()
        self.bare_users = {fold(u) for u in User.objects.filter(staff__isnull=True).values_list("username", flat=True)} & wanted
        self.role_table = by_spelling(Role.choices)
        self.areas = {fold(a) for a in Site.objects.values_list("area", flat=True).distinct()}
        self.areas |= {fold(a) for a in Staff.objects.exclude(area="").values_list("area", flat=True).distinct()}
        self.areas |= getattr(self, "extra_areas", set())

    def init_instance(self, row=None):
        staff = Staff()
        staff.import_username, staff.import_roles = "", []
        return staff

    def resolve_roles(self, text, row):
        parts = [p.strip() for p in text.replace(",", ",").replace("、", ",").replace(";", ",").replace(";", ",").split(",")]
        roles, unknown = [], []
        for p in filter(None, parts):
            role = self.role_table.get(fold(p))
            (roles if role else unknown).append(role or p)
        if unknown:
            raise ValueError(_("未知的角色:%(r)s(可填:%(all)s)。") % {"r": "、".join(echo(u) for u in unknown), "all": "、".join(str(lab) for _v, lab in Role.choices)})
        return [r for r in Role.values if r in roles]

    def render_ref(self, name, value):
        return "、".join(str(Role(r).label) for r in value)

    def check(self, staff, errors):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        from ..permissions import check_role_change, check_staff_edit

        out = {}
        username = staff.import_username
        if not username:
            out["import_username"] = _("必填。")
        else:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError as e:
                out["import_username"] = e.messages
            if fold(username) in self.bare_users:
                out["import_username"] = _("用户名 %(u)s 已被一个没有员工档案的账号使用。") % {"u": username}
        if staff.area and fold(staff.area) not in self.areas:
            out["area"] = _("未知的区域“%(a)s”:没有任何网点在这个区域(请核对写法,或先导入该区域的网点)。") % {"a": echo(staff.area)}
        if "import_roles" not in errors:
            old = list(staff.roles) if staff.pk else []
            try:
                if staff.pk:
                    check_staff_edit(self.by, staff=staff)
                check_role_change(self.by, staff=staff if staff.pk else None, old_roles=old, new_roles=staff.import_roles)
            except PermissionDenied as e:
                out["import_roles"] = str(e)
        if out:
            raise ValidationError(out)
        self.first_seen(fold(username), self._rowno, "import_username", _("与第 %(r)s 行用户名重复。"))

    def do_instance_save(self, instance, is_create):
        from ..services import create_staff, update_staff

        profile = {k: getattr(instance, k) for k in ("area", "team", "phone", "active")}
        if is_create:
            saved = create_staff(username=instance.import_username, name=instance.name, roles=instance.import_roles,
                                 by=self.by, now=self.now, **profile)
            instance.pk, instance.user = saved.pk, saved.user
        else:
            update_staff(staff=instance, roles=instance.import_roles, by=self.by, now=self.now, name=instance.name, **profile)


# --------------------------------------------------------------------------- clients


class ClientResource(MasterDataResource):
    list_kind = "clients"
    id_columns = ("name",)
    fk_exclude = ("salesperson",)

    name = _field("name")
    department = fields.Field(attribute="department", column_name="department", widget=Choice(Department))
    kind = fields.Field(attribute="kind", column_name="kind", widget=Choice(ClientKind))
    phone = _field("phone", Phone())
    agreement_start = fields.Field(attribute="agreement_start", column_name="agreement_start", widget=Day(), saves_null_values=True)
    software_entitlement = fields.Field(attribute="software_entitlement", column_name="software_entitlement",
                                        widget=Choice(SoftwareEntitlement, default=SoftwareEntitlement.VISITS))
    salesperson = fields.Field(attribute="salesperson", column_name="salesperson", widget=Lookup("salesperson"), saves_null_values=True)
    notes = _field("notes")

    class Meta(MasterDataResource.Meta):
        model = Client
        fields = ("name", "department", "kind", "phone", "agreement_start", "software_entitlement", "salesperson", "notes")
        import_id_fields = ("name",)

    def load(self, dataset):
        self.by_key = {}
        for c in Client.objects.select_related("salesperson__user"):
            c.import_department = c.department
            self.by_key[(fold(c.name),)] = c
        self.staff = {fold(s.user.username): s for s in Staff.objects.select_related("user")}

    def check_blocked(self, row):
        if fold(Text().clean(row.get("salesperson"))) in {k[0] for k in self.blocked.get("staff", ())}:
            raise Blocked

    def resolve_salesperson(self, text, row):
        if not text:
            return None
        found = self.staff.get(fold(text))
        if found is None:
            raise ValueError(_("找不到用户名为“%(u)s”的员工。") % {"u": echo(text)})
        return found

    def render_ref(self, name, value):
        return value.user.username

    def check(self, client, errors):
        # natural key: name + department (R-C2); a name already held by the other department is refused, not moved
        if client.pk and client.department != client.import_department:
            raise ValidationError({"department": _("客户“%(n)s”已存在,属于%(d)s;导入不会改动客户的所属部门。")
                                   % {"n": client.name, "d": Department(client.import_department).label}})
        client.clean()
        self.first_seen(fold(client.name), self._rowno, "name", _("与第 %(r)s 行客户名称重复。"))


# --------------------------------------------------------------------------- sites


class SiteResource(MasterDataResource):
    list_kind = "sites"
    id_columns = ("client", "name")
    fk_exclude = ("client",)

    client = fields.Field(attribute="client", column_name="client", widget=Lookup("client"))
    name = _field("name")
    address = _field("address")
    area = _field("area")
    contact_name = _field("contact_name")
    phone = _field("phone", Phone())
    resident = fields.Field(attribute="resident", column_name="resident", widget=YesNo())

    class Meta(MasterDataResource.Meta):
        model = Site
        fields = ("client", "name", "address", "area", "contact_name", "phone", "resident")
        import_id_fields = ("client", "name")

    def load(self, dataset):
        self.clients = {fold(c.name): c for c in Client.objects.all()}
        self.by_key = {(fold(s.client.name), fold(s.name)): s for s in Site.objects.select_related("client")}

    def check_blocked(self, row):
        if (fold(Text().clean(row.get("client"))),) in self.blocked.get("clients", ()):
            raise Blocked

    def resolve_client(self, text, row):
        if not text:
            raise ValueError(_("必填。"))
        found = self.clients.get(fold(text))
        if found is None:
            raise ValueError(_("找不到客户“%(n)s”(请先在“客户”表中列出)。") % {"n": echo(text)})
        return found

    def render_ref(self, name, value):
        return value.name

    def check(self, site, errors):
        site.clean()
        if site.client_id:
            self.first_seen((site.client_id, fold(site.name)), self._rowno, "name", _("与第 %(r)s 行网点重复(同一客户下网点名称不能重复)。"))


# --------------------------------------------------------------------------- equipment


class EquipmentResource(MasterDataResource):
    """R-C5: model, serial, installation day and both warranty ends. The serial is the natural key: a serial
    already held by another client, or twice in the file, is refused with the row that has it."""

    list_kind = "equipment"
    id_columns = ("serial",)
    fk_exclude = ("client", "site")

    client = fields.Field(attribute="client", column_name="client", widget=Lookup("client"))
    site = fields.Field(attribute="site", column_name="site", widget=Lookup("site"), saves_null_values=True)
    model = _field("model")
    serial = _field("serial")
    manufacturer = _field("manufacturer")
    quantity = fields.Field(attribute="quantity", column_name="quantity", widget=Quantity())
    installed_on = fields.Field(attribute="installed_on", column_name="installed_on", widget=Day(), saves_null_values=True)
    manufacturer_warranty_end = fields.Field(attribute="manufacturer_warranty_end", column_name="manufacturer_warranty_end",
                                             widget=Day(), saves_null_values=True)
    company_warranty_end = fields.Field(attribute="company_warranty_end", column_name="company_warranty_end",
                                        widget=Day(), saves_null_values=True)

    class Meta(MasterDataResource.Meta):
        model = Equipment
        fields = ("client", "site", "model", "serial", "manufacturer", "quantity", "installed_on",
                  "manufacturer_warranty_end", "company_warranty_end")
        import_id_fields = ("serial",)

    def load(self, dataset):
        self.clients = {fold(c.name): c for c in Client.objects.all()}
        self.sites = {(s.client_id, fold(s.name)): s for s in Site.objects.all()}
        self.by_key = {}
        for e in Equipment.objects.select_related("client", "site"):
            e.import_client_id = e.client_id
            self.by_key.setdefault((fold(e.serial),), e)

    def check_blocked(self, row):
        client = fold(Text().clean(row.get("client")))
        if (client,) in self.blocked.get("clients", ()) or (client, fold(Text().clean(row.get("site")))) in self.blocked.get("sites", ()):
            raise Blocked

    def resolve_client(self, text, row):
        return SiteResource.resolve_client(self, text, row)

    def resolve_site(self, text, row):
        if not text:
            return None
        client = self.clients.get(fold(Text().clean(row.get("client"))))
        if client is None:
            return None  # the client's own error names the row
        found = self.sites.get((client.pk, fold(text)))
        if found is None:
            raise ValueError(_("客户“%(c)s”没有名为“%(s)s”的网点(请先在“网点”表中列出)。") % {"c": echo(client.name), "s": echo(text)})
        return found

    def render_ref(self, name, value):
        return value.name

    def check(self, device, errors):
        out = {}
        if device.pk and device.client_id and device.client_id != device.import_client_id:
            owner = next((c.name for c in self.clients.values() if c.pk == device.import_client_id), "")
            out["serial"] = _("序列号 %(s)s 已登记在客户“%(c)s”名下,不能再登记给另一个客户。") % {"s": device.serial, "c": owner}
        for name in ("manufacturer_warranty_end", "company_warranty_end"):
            end = getattr(device, name)
            if name not in errors and end and device.installed_on and end < device.installed_on:
                out[name] = _("保修截止日期不能早于安装验收日期。")
        if out:
            raise ValidationError(out)
        if device.serial:
            self.first_seen(fold(device.serial), self._rowno, "serial", _("与第 %(r)s 行序列号重复。"))


RESOURCES = {"staff": StaffResource, "clients": ClientResource, "sites": SiteResource, "equipment": EquipmentResource}
