"""Forms of the dispatch pages: they parse input; services decide."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.choices import LineItem, LineKind
from .choices import ResidentReason
from servicedesk.validators import FREE_TEXT_MAX_LENGTH
from servicedesk.errors import DomainError
from servicedesk.models import Client, Staff, WorkOrder
from servicedesk.money import parse_money
from servicedesk.quantities import QuantityFormField
from servicedesk.forms import UserTextSelect

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LINE_ROWS = 1  # rows shown on a fresh close-out form; "add line" adds more (R-W10: a phone form stays short)
MAX_LINES = 30
REQUIRED_AT_TOLERANCE_MINUTES = 15  # a call taken a few minutes ago may be typed in now (not a SPEC number)


class IntakeForm(forms.ModelForm):
    """R-W1: every intake field. The client/site/equipment are picked through the lookup."""

    class Meta:
        model = WorkOrder
        fields = [
            "client", "site", "contact_name", "contact_phone", "equipment", "equipment_model", "equipment_serial",
            "quantity", "content", "channel", "service_mode", "description", "required_at", "cooperation_chargeable",
        ]
        widgets = {"client": forms.HiddenInput, "required_at": DT_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"quantity": QuantityFormField}  # plain ASCII digits (servicedesk.quantities)

    def __init__(self, *args, new_client: bool = False, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["required_at"].input_formats = DT_FORMATS
        self.fields["cooperation_chargeable"].widget = forms.Select(
            choices=[("", _("无配合单")), ("true", _("配合单:收费")), ("false", _("配合单:不收费"))]
        )
        self.fields["cooperation_chargeable"].required = False
        client_id = self.data.get("client") or self.initial.get("client")
        qs_site = self.fields["site"].queryset
        qs_eq = self.fields["equipment"].queryset
        self.fields["site"].queryset = qs_site.filter(client_id=client_id) if client_id else qs_site.none()
        self.fields["equipment"].queryset = qs_eq.filter(client_id=client_id) if client_id else qs_eq.none()
        if new_client:  # R-W1: a caller who is not yet a client — the client and its site are created with the order
            for name in ("client", "site", "contact_name", "contact_phone"):  # the contact defaults to the site's
                self.fields[name].required = False

    def clean_required_at(self):
        """R-W1: a required time in the past (beyond a few minutes of typing) is refused."""
        from datetime import timedelta

        from django.utils import timezone

        value = self.cleaned_data.get("required_at")
        now = self.now or timezone.now()
        if value and value < now - timedelta(minutes=REQUIRED_AT_TOLERANCE_MINUTES):
            raise forms.ValidationError(
                _("要求上门时间 %(at)s 已经过去,请填写现在或以后的时间。")
                % {"at": timezone.localtime(value).strftime("%Y-%m-%d %H:%M")},
                code="past",
            )
        return value

    def _post_clean(self):  # model validation happens in the service (create_work_order)
        pass


class NewClientForm(forms.ModelForm):
    """R-W1: a caller who is not yet a client, entered at intake by the coordinator (client + first site)."""

    site_name = forms.CharField(label=_("网点名称"), max_length=120)
    address = forms.CharField(label=_("地址"), max_length=200)
    area = forms.CharField(label=_("区域"), max_length=40, help_text=_("区/县,用于派单推荐"))
    site_contact = forms.CharField(label=_("联系人"), max_length=40)
    site_phone = forms.CharField(label=_("联系电话"), max_length=24)

    class Meta:
        model = Client
        fields = ["name", "kind", "department", "phone"]

    def _post_clean(self):
        """The new client's and site's own rules, checked with the order's so every mistake shows at once (the
        service checks them again inside its transaction)."""
        from .services import check_new_client

        try:
            check_new_client(client_fields=self.client_fields(), site_fields=self.site_fields())
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if name not in self.errors:  # a field the form already refused is named once
                    self.add_error(name if name in self.fields else None, errors)

    def client_fields(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in ("name", "kind", "department", "phone")}

    def site_fields(self) -> dict:
        d = self.cleaned_data
        return {"name": d.get("site_name", ""), "address": d.get("address", ""), "area": d.get("area", ""),
                "contact_name": d.get("site_contact", ""), "phone": d.get("site_phone", "")}


class DispatchForm(forms.Form):
    technician = forms.ModelChoiceField(queryset=Staff.objects.active(), label=_("技术员"), widget=UserTextSelect)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    force = forms.BooleanField(required=False, label=_("确认超限派单"))
    # R-W5: why a resident-site request goes to someone other than the site's resident technicians
    resident_reason = forms.ChoiceField(required=False, label=_("未派驻点技术员的原因"),
                                        choices=[("", "—")] + list(ResidentReason.choices), widget=forms.RadioSelect)
    resident_reason_note = forms.CharField(required=False, max_length=200, label=_("原因说明"))


class ContactForm(forms.Form):
    promised_at = forms.DateTimeField(label=_("承诺到达时间"), input_formats=DT_FORMATS, widget=DT_WIDGET)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("拒单原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=FREE_TEXT_MAX_LENGTH)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HandoverForm(forms.Form):
    to = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("接手的技术组长"), required=False, widget=UserTextSelect)
    notes = forms.CharField(label=_("交接说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=FREE_TEXT_MAX_LENGTH)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from servicedesk.choices import Role

        self.fields["to"].queryset = Staff.objects.active().with_role(Role.TEAM_LEAD).order_by("name")


class CloseOutForm(forms.Form):
    """R-W10. Required items are checked by the service so the missing ones are named together."""

    work_done = forms.CharField(label=_("工作内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=FREE_TEXT_MAX_LENGTH)
    fault_cause = forms.CharField(label=_("故障原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=FREE_TEXT_MAX_LENGTH)
    advice = forms.CharField(label=_("给客户的建议"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=FREE_TEXT_MAX_LENGTH)
    software_installed = forms.CharField(label=_("安装的软件"), required=False, max_length=FREE_TEXT_MAX_LENGTH)
    started_at = forms.DateTimeField(label=_("开始时间"), input_formats=DT_FORMATS, widget=DT_WIDGET, required=False)
    ended_at = forms.DateTimeField(label=_("结束时间"), input_formats=DT_FORMATS, widget=DT_WIDGET, required=False)
    signature_name = forms.CharField(label=_("客户签名(姓名)"), max_length=40, required=False)
    # the drawn signature (signature_pad → SVG data URL); validated by services.clean_signature_drawing
    signature_drawing = forms.CharField(required=False, widget=forms.HiddenInput)
    completed_at = forms.DateTimeField(label=_("完成时间"), input_formats=DT_FORMATS, widget=DT_WIDGET, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        """R-W10's required items are marked and checked by the browser too (the service still names every missing
        one together when the browser does not check)."""
        from .services import CLOSE_OUT_REQUIRED

        super().__init__(*args, **kwargs)
        for name in CLOSE_OUT_REQUIRED:
            self.fields[name].widget.attrs["required"] = True
            self.fields[name].marked_required = True


def line_indexes(data) -> list[int]:
    """The row numbers present in the posted data (rows can be removed, so numbers may have gaps)."""
    found = set()
    for key in (data or {}):
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "line" and parts[1].isdigit():
            found.add(int(parts[1]))
    return sorted(found)[:MAX_LINES]


def line_rows(data=None, n=None) -> list[dict]:
    """The close-out's line rows as entered (line-<i>-kind/item/description/cost/quantity/installed):
    every row present in `data`, else `n` (default LINE_ROWS) empty rows."""
    rows = []
    indexes = line_indexes(data) if data is not None else []
    if not indexes:
        indexes = list(range(LINE_ROWS if n is None else n))
    for i in indexes:
        get = (lambda k: (data or {}).get(f"line-{i}-{k}", ""))
        rows.append(
            {
                "i": i,
                "kind": get("kind"),
                "item": get("item") or LineItem.OTHER,
                "description": get("description"),
                "cost": get("cost"),
                "quantity": get("quantity") or "1",
                "installed": bool(get("installed")),
            }
        )
    return rows


def lines_from(data) -> list[dict]:
    """Filled rows only, shaped for billing (cost strings, never float)."""
    out = []
    for n, row in enumerate(line_rows(data), start=1):
        if not row["kind"]:
            continue
        q = row["quantity"]
        cost = (row["cost"] or "").strip() or None
        if cost is not None:  # plain decimal, 2 places (rule 1); DomainError names the row (rule 4)
            try:
                cost = str(parse_money(cost, field="lines", label=_("成本"), allow_zero=True))
            except DomainError as exc:
                raise DomainError(_("第 %(n)s 行:%(msg)s") % {"n": n, "msg": exc.message}, field="lines") from exc
        item = row["item"]
        if row["kind"] in LineKind.values:
            from billing.choices import ITEMS_BY_KIND

            allowed = ITEMS_BY_KIND[LineKind(row["kind"])]
            if item not in allowed and len(allowed) == 1:  # parts/consumables have one item: the row's item follows its kind
                item = next(iter(allowed))
        out.append(
            {
                "kind": row["kind"],
                "item": item,
                "description": row["description"],
                "cost": cost,
                # ASCII digits only: str.isdigit() is true for "١٠٠" and "１００" (billing refuses anything else by row)
                "quantity": int(q) if re.fullmatch(r"[0-9]+", str(q).strip()) else q,
                "installed": row["installed"],
            }
        )
    return out


LINE_KINDS = LineKind.choices
LINE_ITEMS = LineItem.choices


def line_item_options() -> list[tuple[str, str, str]]:
    """(kind, item, human label) for every item a kind allows — the item list is filtered by kind on the page
    (R-W10: a line never pairs a kind with an item of another kind, e.g. "类别 part 没有项目“os_install”")."""
    from billing.choices import ITEMS_BY_KIND

    out = []
    for kind, _kind_label in LineKind.choices:
        allowed = ITEMS_BY_KIND[LineKind(kind)]
        for item, label in LineItem.choices:
            if item in allowed:
                if item == LineItem.OTHER:
                    label = _("按成本计价")
                out.append((kind, item, label))
    return out


def line_errors(rows) -> list[str]:
    """Human errors for a kind/item pair that does not go together (named by row number and labels)."""
    from billing.choices import ITEMS_BY_KIND

    errors = []
    n = 0
    for row in rows:
        if not row["kind"]:
            continue
        n += 1
        if row["kind"] not in LineKind.values:
            errors.append(_("第 %(n)s 行:请选择类别。") % {"n": n})
            continue
        allowed = ITEMS_BY_KIND[LineKind(row["kind"])]
        if row["item"] not in allowed:
            if len(allowed) == 1:  # the only item of the kind: take it
                row["item"] = next(iter(allowed))
                continue
            errors.append(
                _("第 %(n)s 行:“%(kind)s”类不能选“%(item)s”,请重新选择项目。")
                % {
                    "n": n,
                    "kind": LineKind(row["kind"]).label,
                    "item": LineItem(row["item"]).label if row["item"] in LineItem.values else row["item"],
                }
            )
    return errors
