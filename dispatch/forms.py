"""Forms of the dispatch pages: they parse input; services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from billing.choices import LineItem, LineKind
from servicedesk.models import Staff, WorkOrder

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LINE_ROWS = 3


class IntakeForm(forms.ModelForm):
    """R-W1: every intake field. The client/site/equipment are picked through the lookup."""

    class Meta:
        model = WorkOrder
        fields = [
            "client", "site", "contact_name", "contact_phone", "equipment", "equipment_model", "equipment_serial",
            "quantity", "content", "channel", "service_mode", "description", "required_at", "cooperation_chargeable",
        ]
        widgets = {"client": forms.HiddenInput, "required_at": DT_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    def _post_clean(self):  # model validation happens in the service (create_work_order)
        pass


class DispatchForm(forms.Form):
    technician = forms.ModelChoiceField(queryset=Staff.objects.active(), label=_("技术员"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    force = forms.BooleanField(required=False, label=_("确认超限派单"))


class ContactForm(forms.Form):
    promised_at = forms.DateTimeField(label=_("承诺到达时间"), input_formats=DT_FORMATS, widget=DT_WIDGET)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("拒单原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HandoverForm(forms.Form):
    to = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("接手的技术组长"), required=False)
    notes = forms.CharField(label=_("交接说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from servicedesk.choices import Role

        self.fields["to"].queryset = Staff.objects.active().with_role(Role.TEAM_LEAD).order_by("name")


class CloseOutForm(forms.Form):
    """R-W10. Required items are checked by the service so the missing ones are named together."""

    work_done = forms.CharField(label=_("工作内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    fault_cause = forms.CharField(label=_("故障原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    advice = forms.CharField(label=_("给客户的建议"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    software_installed = forms.CharField(label=_("安装的软件"), required=False)
    started_at = forms.DateTimeField(label=_("开始时间"), input_formats=DT_FORMATS, widget=DT_WIDGET, required=False)
    ended_at = forms.DateTimeField(label=_("结束时间"), input_formats=DT_FORMATS, widget=DT_WIDGET, required=False)
    signature_name = forms.CharField(label=_("客户签名(姓名)"), max_length=40, required=False)
    completed_at = forms.DateTimeField(label=_("完成时间"), input_formats=DT_FORMATS, widget=DT_WIDGET, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def line_rows(data=None, n=LINE_ROWS) -> list[dict]:
    """The close-out's line rows as entered (line-<i>-kind/item/description/cost/quantity/installed)."""
    rows = []
    for i in range(n):
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
    for row in line_rows(data):
        if not row["kind"]:
            continue
        q = row["quantity"]
        out.append(
            {
                "kind": row["kind"],
                "item": row["item"],
                "description": row["description"],
                "cost": row["cost"] or None,
                "quantity": int(q) if str(q).strip().isdigit() else q,
                "installed": row["installed"],
            }
        )
    return out


LINE_KINDS = LineKind.choices
LINE_ITEMS = LineItem.choices
