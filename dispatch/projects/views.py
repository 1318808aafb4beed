"""Pages of team projects (thin): list, create, detail with daily reports / work records (phone-friendly),
the summary to the client, completion with the bonus shares, and the client's public survey (signed link)."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import apply_domain_error
from servicedesk.models import WorkOrder
from servicedesk.network import client_ip
from servicedesk.permissions import require_staff

from ..resident import links
from ..resident.choices import LinkPurpose
from . import selectors, services
from .api import SEES_ALL
from .forms import CompleteForm, ProjectForm, SurveyForm
from .models import Project


@login_required
def project_list(request):
    me = require_staff(request.user)
    rows, total = selectors.project_list(status=request.GET.get("status") or None, staff=None if me.has_role(*SEES_ALL) else me)
    return render(request, "projects/list.html", {"rows": rows, "total": total, "can_create": me.has_role(*services.PLANNERS)})


@login_required
def create(request):
    me = require_staff(request.user)
    if not me.has_role(*services.PLANNERS):
        raise PermissionDenied(_("只有部门经理或协调员可以创建团队项目。"))
    initial = {}
    proposal = None
    wo_id = request.GET.get("work_order")
    if wo_id and wo_id.isdigit():
        wo = WorkOrder.objects.filter(pk=wo_id).select_related("client", "site").first()
        if wo:
            initial = {"client": wo.client_id, "site": wo.site_id, "name": wo.description[:60] or wo.number, "work_order": wo.pk}
    # R-R5: the intake's estimate arrives with the proposal; the form starts as team service with its person-days
    # and the page shows the expected shape (≥ 4 technicians, ≥ 2 working days) next to it.
    estimate = {k: request.GET.get(k, "") for k in ("person_days", "technicians", "working_days")}
    if estimate["person_days"].isdigit():
        proposal = services.team_project_proposal(
            technicians=int(estimate["technicians"]) if estimate["technicians"].isdigit() else None,
            working_days=int(estimate["working_days"]) if estimate["working_days"].isdigit() else None,
            person_days=int(estimate["person_days"]), on=timezone.localdate(),
        )
        if proposal:
            initial.update(kind="team", person_days=proposal["person_days"])
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["members"] = [s.pk for s in data["members"]]
        try:
            project = services.create_project(by=me, now=timezone.now(), **data)
        except (DomainError, ValidationError) as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已创建团队项目 %(n)s。") % {"n": project.number})
            return redirect("dispatch:projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "proposal": proposal, "team": _team_threshold()})


def _team_threshold() -> dict:
    """R-R5: the team-service threshold shown on the form, from the `team.*` parameters (one query)."""
    from servicedesk.params import get_params

    names = ("team.min_person_days", "team.min_technicians", "team.min_working_days")
    found = get_params(names, on=timezone.localdate())
    return {n.split(".", 1)[1]: found[n].value for n in names}


def _visible(me, pk) -> Project:
    try:
        project = selectors.project_detail(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    if not me.has_role(*SEES_ALL) and project.manager_id != me.pk and not any(m.staff_id == me.pk for m in project.members.all()):
        raise Http404  # a project one is not part of: not found, never "exists but not yours" (rule 6)
    return project


@login_required
def detail(request, pk):
    me = require_staff(request.user)
    project = _visible(me, pk)
    link = links.live_link(purpose=LinkPurpose.PROJECT_SURVEY, object_id=project.pk)
    survey = getattr(project, "survey", None)
    show_link = link is not None and (me.has_role(*SEES_ALL) or me.pk == project.manager_id)
    return render(request, "projects/detail.html", {
        "project": project, "today": timezone.localdate(), "is_lead": me.pk == project.manager_id or me.has_role(Role.MANAGER),
        "is_team": me.pk == project.manager_id or any(m.staff_id == me.pk for m in project.members.all()) or me.has_role(Role.MANAGER),
        "can_complete": me.has_role(Role.MANAGER) and project.status == "planned", "complete_form": CompleteForm(),
        "survey_url": request.build_absolute_uri(f"/s/{link.token}/") if show_link else "",
        "survey": survey, "shares_total": sum((s.amount for s in project.shares.all()), start=0),
    })


@login_required
@require_POST
def act(request, pk, action):
    me = require_staff(request.user)
    project = _visible(me, pk)
    now = timezone.now()
    try:
        if action == "daily":
            services.add_daily_report(project=project, by=me, on=_date(request.POST.get("on")), text=request.POST.get("text", ""), now=now)
            messages.success(request, _("日报已提交。"))
        elif action == "record":
            services.add_work_record(project=project, by=me, on=_date(request.POST.get("on")), serials=request.POST.get("serials", ""),
                                     quantity=request.POST.get("quantity") or 1, note=request.POST.get("note", ""), now=now)
            messages.success(request, _("工作记录已登记。"))
        elif action == "summary":
            services.send_summary(project=project, by=me, text=request.POST.get("summary_report", ""), now=now)
            messages.success(request, _("总结报告已保存,客户满意度调查链接已生成。"))
        elif action == "complete":
            form = CompleteForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请检查完成信息。"))
            services.complete_project(project=project, by=me, now=now, **form.cleaned_data)
            messages.success(request, _("项目已确认完成。"))
        else:
            raise Http404
    except (DomainError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc.message))
    return redirect("dispatch:projects:detail", pk=project.pk)


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise DomainError(_("日期格式不正确。"), field="on") from None


def public_survey(request, token):
    """R-R5: the client's satisfaction survey without an account; one use, expiring, rate-limited."""
    now = timezone.now()
    try:
        links.check_rate(key=client_ip(request), now=now)
        project = services.project_for_token(token=token, now=now)
    except (links.LinkError, links.LinkUsed, links.TooManyAttempts) as exc:
        return render(request, "resident/public_message.html", {"message": exc.message}, status=exc.status_code)
    complaint_errors = {}
    if request.method == "POST" and request.POST.get("action") == "complain":
        try:
            services.client_complaint(token=token, words=request.POST.get("words", ""),
                                      client_name=request.POST.get("client_name", ""), now=now)
        except (links.LinkError, links.LinkUsed) as exc:
            return render(request, "resident/public_message.html", {"message": exc.message}, status=exc.status_code)
        except DomainError as exc:
            complaint_errors[exc.field or "general"] = exc.message
        else:
            return render(request, "resident/public_message.html",
                          {"message": _("投诉已收到,部门经理会在答复期限内与您联系。谢谢!"), "ok": True})
        return render(request, "projects/public_survey.html",
                      {"project": project, "form": SurveyForm(), "complaint_errors": complaint_errors, "data": request.POST},
                      status=400)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_survey(token=token, now=now, **form.cleaned_data)
        except (links.LinkError, links.LinkUsed) as exc:
            return render(request, "resident/public_message.html", {"message": exc.message}, status=exc.status_code)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return render(request, "resident/public_message.html", {"message": _("满意度调查已提交,感谢您的反馈!"), "ok": True})
    return render(request, "projects/public_survey.html", {"project": project, "form": form}, status=400 if form.errors else 200)
