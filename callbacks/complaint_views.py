"""R-K10 pages: take a complaint from any channel; a complaint's page with the reply and the client's confirmation."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.validators import FREE_TEXT_MAX_LENGTH
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import apply_domain_error, error_text
from servicedesk.models import Client, Staff, WorkOrder
from servicedesk.permissions import has_role, require_role, staff_of
from servicedesk.forms import UserTextSelect

from . import complaints
from .choices import NOT_PERSON_CAUSES, ComplaintChannel, ComplaintOutcome
from .models import Complaint


class ComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=ComplaintChannel.choices, initial=ComplaintChannel.PHONE)
    client = forms.ModelChoiceField(label=gettext_lazy("客户"), queryset=Client.objects.order_by("name"), widget=UserTextSelect)
    work_order = forms.CharField(label=gettext_lazy("工单号(可选)"), required=False, max_length=20)
    technician = forms.ModelChoiceField(
        label=gettext_lazy("涉及人员(可选)"), queryset=Staff.objects.none(), required=False, widget=UserTextSelect,
        help_text=gettext_lazy("只是记录客户提到的人;是否本人工作问题、由谁负责,由部门经理判定后才确定。"),
    )
    words = forms.CharField(label=gettext_lazy("客户原话"), widget=forms.Textarea(attrs={"rows": 4}), max_length=FREE_TEXT_MAX_LENGTH)
    owner = forms.ModelChoiceField(label=gettext_lazy("负责人"), queryset=Staff.objects.none(), required=False, widget=UserTextSelect,
                                   help_text=gettext_lazy("留空 = 部门经理"))
    serious = forms.BooleanField(label=gettext_lazy("情节严重(上报总经办)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Staff.objects.filter(active=True).order_by("name")
        self.fields["technician"].queryset = active
        self.fields["owner"].queryset = active

    def clean_work_order(self):
        number = (self.cleaned_data.get("work_order") or "").strip()
        if not number:
            return None
        wo = WorkOrder.objects.filter(number=number).first()
        if wo is None:
            raise forms.ValidationError(_("没有工单号为 %(n)s 的工单。") % {"n": number})
        return wo


class ReplyForm(forms.Form):
    root_cause = forms.CharField(label=gettext_lazy("根本原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT_MAX_LENGTH)
    agreed_fix = forms.CharField(label=gettext_lazy("商定的解决办法"), widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT_MAX_LENGTH)
    fix_due_on = forms.DateField(label=gettext_lazy("解决日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DecideForm(forms.Form):
    """R-K10 Decision: the manager decides whose, if anyone's, the complaint is."""

    outcome = forms.ChoiceField(label=gettext_lazy("判定结果"), choices=ComplaintOutcome.choices, widget=forms.RadioSelect)
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("责任人"), queryset=Staff.objects.none(), required=False, widget=UserTextSelect,
        help_text=gettext_lazy("判定为本人工作问题时必选:向其提出 P8 处罚建议,并计入当月投诉(R-M2)。"),
    )
    cause = forms.ChoiceField(
        label=gettext_lazy("原因类别(非个人责任时)"), required=False,
        choices=[("", "—")] + [(c.value, c.label) for c in NOT_PERSON_CAUSES],
    )
    reason = forms.CharField(label=gettext_lazy("判定理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Staff.objects.filter(active=True).order_by("name")
        if complaint is not None and complaint.technician_id and not self.is_bound:
            self.initial.setdefault("responsible", complaint.technician_id)

    def clean(self):
        d = super().clean()
        if d.get("outcome") == ComplaintOutcome.OWN_WORK and not d.get("responsible"):
            self.add_error("responsible", _("判定为本人工作问题时,请选择责任人。"))
        return d


class ConfirmForm(forms.Form):
    client_confirmation = forms.CharField(label=gettext_lazy("客户确认意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)


@login_required
def complaint_new(request):
    require_role(request.user, *complaints.INTAKE_ROLES)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = complaints.register_complaint(
                channel=d["channel"], client=d["client"], words=d["words"], by=staff_of(request.user), now=timezone.now(),
                work_order=d["work_order"], technician=d["technician"], owner=d["owner"], serious=d["serious"],
            )
            messages.success(request, _("投诉已登记,负责人:%(o)s。") % {"o": c.owner.name if c.owner else "—"})
            return redirect("callbacks:complaint_detail", pk=c.pk)
        except (DomainError, PermissionDenied) as exc:
            apply_domain_error(form, exc)
    return render(request, "callbacks/complaint_form.html", {"form": form})


@login_required
def complaint_detail(request, pk: int):
    c = get_object_or_404(
        Complaint.objects.select_related("client", "work_order", "technician", "owner", "created_by", "handled_by"), pk=pk
    )
    me = staff_of(request.user)
    if not (has_role(request.user, Role.MANAGER, Role.COORDINATOR, Role.GM_OFFICE) or (me and me.pk == c.owner_id)):
        raise PermissionDenied(_("只有投诉负责人、协调员或部门经理可以查看该投诉。"))
    reply_form, confirm_form = ReplyForm(prefix="r"), ConfirmForm(prefix="c")
    decide_form = DecideForm(prefix="d", complaint=c)
    if request.method == "POST":
        now = timezone.now()
        try:
            if request.POST.get("action") == "decide":
                decide_form = DecideForm(request.POST, prefix="d", complaint=c)
                if decide_form.is_valid():
                    d = decide_form.cleaned_data
                    try:
                        complaints.decide(complaint=c, by=me, now=now, outcome=d["outcome"], responsible=d["responsible"],
                                          reason=d["reason"], cause=d["cause"])
                    except DomainError as exc:
                        if exc.field not in decide_form.fields:
                            raise
                        decide_form.add_error(exc.field, str(exc.message))
                    else:
                        messages.success(request, _("投诉已判定。"))
                        return redirect("callbacks:complaint_detail", pk=pk)
            elif request.POST.get("action") == "reply":
                reply_form = ReplyForm(request.POST, prefix="r")
                if reply_form.is_valid():
                    complaints.reply(complaint=c, by=me, now=now, **reply_form.cleaned_data)
                    messages.success(request, _("已答复。"))
                    return redirect("callbacks:complaint_detail", pk=pk)
            elif request.POST.get("action") == "confirm":
                confirm_form = ConfirmForm(request.POST, prefix="c")
                if confirm_form.is_valid():
                    complaints.confirm_by_client(complaint=c, by=me, now=now, confirmation=confirm_form.cleaned_data["client_confirmation"])
                    messages.success(request, _("已记录客户确认。"))
                    return redirect("callbacks:complaint_detail", pk=pk)
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
    return render(request, "callbacks/complaint_detail.html", {
        "c": c, "reply_form": reply_form, "confirm_form": confirm_form, "now": timezone.now(),
        "decide_form": decide_form, "can_decide": complaints.can_decide(me) and not c.outcome,
    })
