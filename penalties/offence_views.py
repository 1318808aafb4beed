"""R-N5 pages: record an offence (recorders), a recorded offence with the manager's decision, my record (phone)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.validators import FREE_TEXT_MAX_LENGTH
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import apply_domain_error, error_text
from servicedesk.models import Staff
from servicedesk.permissions import has_role, require_staff, staff_of
from servicedesk.templatetags.labels import clause_name
from servicedesk.uploads import protected_file
from servicedesk.forms import UserTextSelect

from . import offences, selectors
from .models import Penalty, RecordedOffence
from .rules import catalogue

LIST_LIMIT = 50


class OffenceForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("当事人"), queryset=Staff.objects.none(), widget=UserTextSelect)
    rule = forms.ChoiceField(label=gettext_lazy("条款"), choices=())
    occurred_at = forms.DateTimeField(label=gettext_lazy("发生时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    observed = forms.CharField(label=gettext_lazy("所见情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=FREE_TEXT_MAX_LENGTH)
    points = forms.IntegerField(label=gettext_lazy("建议扣分"), required=False, help_text=gettext_lazy("留空 = 该条款的最低分"))
    photo = forms.FileField(label=gettext_lazy("照片(可选)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def __init__(self, *args, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Staff.objects.filter(active=True).order_by("name")
        terms = {t.rule: t for t in catalogue(on=on) if not t.joint_role}
        self.fields["rule"].choices = [
            # rule 7: the clause's name from the catalogue's marked labels, not the parameter's Chinese `offence` data
            (r, _("%(rule)s %(name)s(%(range)s 分)") % {"rule": r, "name": clause_name(r), "range": terms[r].range_label})
            for r in offences.RECORDABLE_RULES if r in terms
        ]


def _require_recorder(request):
    me = staff_of(request.user)
    if not offences.can_record(me):
        raise PermissionDenied(_("只有部门经理、监督组长、技术组长或协调员可以记录违规。"))
    return me


@login_required
def offence_new(request):
    me = _require_recorder(request)
    now = timezone.now()
    form = OffenceForm(request.POST or None, request.FILES or None, on=timezone.localdate(now))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pen = offences.record_offence(
                person=d["person"], rule=d["rule"], occurred_at=d["occurred_at"], observed=d["observed"], by=me, now=now,
                points=d["points"], photo=d["photo"],
            )
            messages.success(request, _("已记录,等待部门经理确认:%(name)s %(rule)s。") % {"name": pen.person.name, "rule": pen.rule})
            return redirect("penalties:offence_new")
        except (DomainError, PermissionDenied) as exc:
            apply_domain_error(form, exc)
    qs = RecordedOffence.objects.select_related("person", "recorded_by").order_by("-recorded_at", "-id")
    if not has_role(request.user, Role.MANAGER):
        qs = qs.filter(recorded_by=me)
    rows = list(qs[:LIST_LIMIT])
    _attach_penalties(rows)
    return render(request, "penalties/offence_form.html", {"form": form, "rows": rows})


def _attach_penalties(rows):
    """One query for the proposals of the listed records."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(RecordedOffence)
    pens = {p.source_id: p for p in Penalty.objects.filter(source_type=ct, source_id__in=[r.pk for r in rows])}
    for r in rows:
        r.penalty = pens.get(r.pk)


def _readable_record(request, pk: int) -> RecordedOffence:
    """A recorded offence its person, its recorder and the managers may see (the record and its photo alike)."""
    record = get_object_or_404(RecordedOffence.objects.select_related("person", "recorded_by"), pk=pk)
    me = staff_of(request.user)
    if not (has_role(request.user, Role.MANAGER) or (me and me.pk in (record.person_id, record.recorded_by_id))):
        raise Http404  # another person's record: not found, never "exists but not yours" (rule 6)
    return record


@login_required
def offence_photo(request, pk: int):
    """The record's photo, for those who may see the record (never a public media URL)."""
    record = _readable_record(request, pk)
    return protected_file(record.photo)


@login_required
def offence_detail(request, pk: int):
    """A recorded offence: its person, the recorder and managers see it; the manager decides here."""
    record = _readable_record(request, pk)
    me = staff_of(request.user)
    is_manager = has_role(request.user, Role.MANAGER)
    _attach_penalties([record])
    pen = record.penalty
    if request.method == "POST":
        if not is_manager or pen is None:
            raise PermissionDenied(_("只有部门经理可以处理处罚。"))
        try:
            offences.decide(
                penalty=pen, action=request.POST.get("action", ""), by=me, now=timezone.now(),
                points=request.POST.get("points") or None, reason=request.POST.get("reason", ""),
                serious=request.POST.get("serious") == "on",
            )
            messages.success(request, _("已处理。"))
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        return redirect("penalties:offence_detail", pk=pk)
    history = list(selectors.with_history(Penalty.objects.filter(pk=pen.pk)).select_related("dismissal_flag")) if pen else []
    return render(request, "penalties/offence_detail.html", {
        "record": record, "p": history[0] if history else None, "is_manager": is_manager,
    })


@login_required
def offence_mine(request):
    """The person's own record on the phone: recorded offences and every penalty about them, with each decision."""
    me = require_staff(request.user, hide=True)
    rows = list(selectors.person_history(me)[:LIST_LIMIT])
    records = {r.pk: r for r in RecordedOffence.objects.filter(person=me).order_by("-occurred_at")[:LIST_LIMIT]}
    return render(request, "penalties/offence_mine.html", {"rows": rows, "records": records,
                                                           "totals": selectors.monthly_totals_for(me, months=3, today=timezone.localdate())})
