"""Writes of team projects (R-R5) and their completion (R-M5 team service; R-M6–R-M8 project-type service). Keyword-only, explicit `now`, one transaction each."""
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Client, Site, Staff
from servicedesk.money import parse_money
from servicedesk.numbering import next_number
from servicedesk.params import get_params
from servicedesk.quantities import QuantityError, parse_quantity
from servicedesk.templatetags.money import format_yuan
from servicedesk.texts import Date, message

from ..resident import links
from ..resident.choices import LinkPurpose
from servicedesk.months import local_date
from .choices import CONTRACT_KINDS, SATISFIED, ProjectKind, ProjectStatus, Satisfaction
from .models import DailyReport, Project, ProjectMember, ProjectSurvey, WorkRecord
from .rules import Pool, project_pool
from .signals import project_completed

PLANNERS = (Role.MANAGER, Role.COORDINATOR)


# ---------------------------------------------------------------- R-R5 at intake
def team_project_proposal(*, technicians: int | None, working_days: int | None, person_days: int | None = None, on: date) -> dict | None:
    """R-R5: a job estimated at ≥ `team.min_person_days` person-days is proposed as team service. The
    expected shape (≥ `team.min_technicians` technicians for ≥ `team.min_working_days` working days) is shown
    to the coordinator, never a second trigger: 4 × 2 = 8 person-days is not team service, 1 × 10 is (with a
    note that its staffing is below the expected shape). None below the threshold."""
    p = get_params(["team.min_person_days", "team.min_technicians", "team.min_working_days"], on=on)
    techs, days = int(technicians or 0), int(working_days or 0)
    pd = int(person_days) if person_days else techs * days
    minimum = p["team.min_person_days"].value
    if pd < minimum:
        return None
    min_techs, min_days = p["team.min_technicians"].value, p["team.min_working_days"].value
    shape = _("预期配置:%(t)s 人以上、%(d)s 个工作日以上。") % {"t": min_techs, "d": min_days}
    below_shape = bool(techs or days) and (techs < min_techs or days < min_days)
    text = _("预计 %(pd)s 人天,达到团队服务标准(%(min)s 人天以上),建议立项为团队服务。") % {"pd": pd, "min": minimum}
    if below_shape:
        shape += " " + _("当前估计 %(t)s 人 × %(d)s 个工作日,低于预期配置,请确认人员安排。") % {"t": techs, "d": days}
    return {
        "rule": "R-R5",
        "person_days": pd,
        "technicians": techs,
        "working_days": days,
        "expected_technicians": min_techs,
        "expected_working_days": min_days,
        "below_shape": below_shape,
        "text": f"{text}{shape}",
        "shape": shape,
        "params": [v.as_explanation() for v in p.values()],
    }


def team_project_proposal_from_input(data, *, on: date) -> dict | None:
    """The intake's optional estimate fields (`estimate_technicians`, `estimate_working_days`,
    `estimate_person_days`) → the R-R5 proposal, or None when absent or below the thresholds."""

    def num(key):
        value = str(data.get(key) or "").strip()
        return int(value) if value.isdigit() else None

    techs, days, pd = num("estimate_technicians"), num("estimate_working_days"), num("estimate_person_days")
    if not (techs or days or pd):
        return None
    return team_project_proposal(technicians=techs, working_days=days, person_days=pd, on=on)


# ---------------------------------------------------------------- create
def _member_rows(members) -> list[tuple]:
    """[id] or [{"staff": id, "task": str}] → [(id, task)]."""
    rows = []
    for m in members or []:
        if isinstance(m, dict):
            rows.append((m.get("staff"), (m.get("task") or "").strip()[:200]))
        else:
            rows.append((m, ""))
    return rows


def _pk(value):
    return getattr(value, "pk", value)


class _Errors(dict):
    """Field → messages, gathered so that every mistake of the form is named at once."""

    def add(self, field: str, message) -> None:
        self.setdefault(field, []).append(message)


def _check_client_site(errors: _Errors, *, client, site) -> tuple[Client | None, Site | None]:
    client_obj = Client.objects.filter(pk=_pk(client)).first() if client else None
    if client_obj is None:
        errors.add("client", _("请选择客户。"))
    site_obj = Site.objects.filter(pk=_pk(site)).first() if site else None
    if site_obj is None:
        errors.add("site", _("请选择网点。"))
    elif client_obj and site_obj.client_id != client_obj.pk:
        errors.add("site", _("该网点不属于此客户。"))
    return client_obj, site_obj


def _check_team_service(errors: _Errors, *, contract_amount, pool, manager_share, person_days, on: date) -> None:
    """SPEC decision (R-M5 vs R-M6): team service is paid by R-M5 and has no contract amount; a job with a
    contract amount is a project-type service (maintenance or construction, R-M6) — never both. R-R5: team
    service is estimated at `team.min_person_days` or more."""
    if contract_amount not in (None, ""):
        errors.add("contract_amount", _("团队服务按 R-M5 奖罚,不填合同金额;有合同金额的项目型服务请选择设备维保类或建设型(R-M6)。"))
    if pool not in (None, "") or manager_share not in (None, ""):
        errors.add("pool", _("团队服务没有项目奖金池(R-M5 按客户满意度奖罚)。"))
    minimum = get_params(["team.min_person_days"], on=on)["team.min_person_days"]
    if person_days in (None, ""):
        errors.add("person_days", _("团队服务请填写预计人天(%(min)s 人天以上,R-R5)。") % {"min": minimum.value})
    elif int(person_days) < minimum.value:
        errors.add("person_days", _("团队服务须预计 %(min)s 人天以上(R-R5),当前 %(n)s 人天。") % {"min": minimum.value, "n": person_days})


def _check_contract_amount(errors: _Errors, contract_amount) -> Decimal | None:
    """R-M6: a project-type service has a positive contract amount (None when it is invalid)."""
    try:
        amount = parse_money(contract_amount, field="contract_amount", label=_("合同金额"))
    except DomainError as exc:
        errors.add("contract_amount", str(exc.message))
        return None
    if amount <= 0:
        errors.add("contract_amount", _("合同金额必须大于 0。"))
        return None
    return amount


def _check_team(errors: _Errors, *, manager, members) -> tuple[Staff | None, list[tuple], set]:
    """R-R5: the project manager (team lead) and the members, each an active employee listed once.
    Returns (manager, [(member id, task)], the member ids)."""
    manager_obj = Staff.objects.active().filter(pk=_pk(manager)).first() if manager else None
    if manager_obj is None:
        errors.add("manager", _("请指定项目经理(团队组长)。"))
    rows = _member_rows(members)
    ids = [_pk(m) for m, _t in rows]
    seen, twice = set(), set()
    for i in ids:
        (twice if i in seen else seen).add(i)
    if manager_obj is not None and manager_obj.pk in seen:
        twice.add(manager_obj.pk)
    found = {s.pk: s for s in Staff.objects.active().filter(pk__in=[i for i in ids if isinstance(i, int)])}
    if twice:
        names = ", ".join(found[i].name if i in found else str(i) for i in sorted(twice, key=str))
        errors.add("members", _("组员重复列出:%(names)s(项目经理不必再列为组员)。") % {"names": names})
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        errors.add("members", _("找不到在职员工:%(ids)s。") % {"ids": ", ".join(unknown)})
    return manager_obj, rows, seen


def _check_dates(errors: _Errors, *, planned_start, planned_end, documents_due, person_days) -> None:
    if not planned_start:
        errors.add("planned_start", _("请填写计划开始日期。"))
    if not planned_end:
        errors.add("planned_end", _("请填写计划结束日期。"))
    if planned_start and planned_end and planned_end < planned_start:
        errors.add("planned_end", _("计划结束日期不能早于开始日期。"))
    if not documents_due:
        errors.add("documents_due", _("请填写项目资料截止日期。"))
    if person_days is not None and int(person_days) < 0:
        errors.add("person_days", _("人天不能为负数。"))


def _check_pool(errors: _Errors, *, kind: str, amount: Decimal, pool, manager_share, on: date):
    """R-M6: the pool table decides whether the manager types the pool (maintenance ≥ ¥300 000) or must not.
    Returns (the table's Pool, the manager's pool or None, the manager's share or None)."""
    manual_pool = manual_share = None
    table = project_pool(kind=kind, contract_amount=amount, on=on)
    if not table.manual:
        if pool not in (None, ""):
            errors.add("pool", _("该合同金额的奖金池由分段表确定(¥%(p)s),不能手工填写。") % {"p": format_yuan(table.pool, sign=False)})
        return table, manual_pool, manual_share
    if pool in (None, ""):
        errors.add("pool", _("合同金额在 30 万以上的设备维保类项目,奖金池由部门经理确定,请填写奖金池。"))
    else:
        try:
            manual_pool = parse_money(pool, field="pool", label=_("奖金池"), allow_zero=True)
        except DomainError as exc:
            errors.add("pool", str(exc.message))
    if manager_share not in (None, ""):
        try:
            manual_share = parse_money(manager_share, field="manager_share", label=_("项目经理份额"), allow_zero=True)
        except DomainError as exc:
            errors.add("manager_share", str(exc.message))
        else:
            if manual_pool is not None and manual_share > manual_pool:
                errors.add("manager_share", _("项目经理份额不能超过奖金池。"))
    return table, manual_pool, manual_share


def _expected_pool(*, kind: str, person_days, amount, table, manual_pool, manual_share, on: date) -> tuple[Decimal | None, dict]:
    """The pool shown from the start so the team knows what is at stake (R-M6 table, or the manager's figure for
    maintenance ≥ ¥300 000); completion recomputes it on its own date and pays it only if earned. Team service
    has no pool: R-M5 pays by the client's satisfaction."""
    if kind == ProjectKind.TEAM:
        return None, {"rule": "R-M5", "inputs": {"kind": kind, "person_days": person_days},
                      "text": message(N_("团队服务:不设项目奖金池;客户满意时组长与组员按 R-M5 获奖励,不满意时组长受罚。"))}
    if table is None:
        return None, {}
    if table.manual and manual_pool is not None:
        table = project_pool(kind=kind, contract_amount=amount, on=on, manual_pool=manual_pool, manual_manager_share=manual_share)
    return table.pool, dict(table.explanation, expected=True)


def create_project(*, by: Staff, now: datetime, name: str, client, site, kind: str, contract_amount, manager,
                   members=(), planned_start: date | None, planned_end: date | None, documents_due: date | None,
                   person_days: int | None = None, pool=None, manager_share=None, documents_responsible=None,
                   work_order=None, contract=None) -> Project:
    """R-R5: validate every field (errors named together), then write the project and its members at once."""
    if not by.has_role(*PLANNERS):
        raise PermissionDenied(_("只有部门经理或协调员可以创建团队项目。"))
    errors = _Errors()
    on = planned_start or local_date(now)  # the parameters of the planned start
    name = (name or "").strip()
    if not name:
        errors.add("name", _("请填写项目名称。"))
    client_obj, site_obj = _check_client_site(errors, client=client, site=site)
    if kind not in ProjectKind.values:
        errors.add("kind", _("项目类型应为团队服务、设备维保类或建设型。"))
    amount = None
    if kind == ProjectKind.TEAM:
        _check_team_service(errors, contract_amount=contract_amount, pool=pool, manager_share=manager_share,
                            person_days=person_days, on=on)
    else:
        amount = _check_contract_amount(errors, contract_amount)
    manager_obj, rows, member_ids = _check_team(errors, manager=manager, members=members)
    _check_dates(errors, planned_start=planned_start, planned_end=planned_end, documents_due=documents_due, person_days=person_days)
    responsible_id = _pk(documents_responsible) if documents_responsible else None
    if responsible_id and responsible_id not in member_ids and (manager_obj is None or responsible_id != manager_obj.pk):
        errors.add("documents_responsible", _("资料责任人应是项目经理或组员。"))
    table = manual_pool = manual_share = None
    if amount is not None and kind in CONTRACT_KINDS and not errors.get("kind"):
        table, manual_pool, manual_share = _check_pool(errors, kind=kind, amount=amount, pool=pool, manager_share=manager_share, on=on)
    if errors:
        raise ValidationError(dict(errors))
    expected_pool, pool_explanation = _expected_pool(kind=kind, person_days=person_days, amount=amount, table=table,
                                                     manual_pool=manual_pool, manual_share=manual_share, on=on)
    with transaction.atomic():
        project = Project.objects.create(
            number=next_number("PJ", local_date(now)), name=name, client=client_obj, site=site_obj, kind=kind,
            contract_amount=amount, manager=manager_obj, documents_responsible_id=responsible_id,
            planned_start=planned_start, planned_end=planned_end, person_days=person_days, documents_due=documents_due,
            manual_pool=manual_pool, manual_manager_share=manual_share, work_order_id=_pk(work_order) if work_order else None,
            contract_id=_pk(contract) if contract else None, created_by=by, created_at=now,
            pool=expected_pool, pool_explanation=pool_explanation,
        )
        ProjectMember.objects.bulk_create([ProjectMember(project=project, staff_id=_pk(m), task=t) for m, t in rows])
    return project


def _require_team(project: Project, by: Staff, *, lead_only=False) -> None:
    if by.has_role(Role.MANAGER) or by.pk == project.manager_id:
        return
    if not lead_only and project.members.filter(staff=by).exists():
        return
    raise PermissionDenied(_("只有项目经理(组长)%(who)s可以执行此操作。") % {"who": "" if lead_only else _("或组员")})


def add_daily_report(*, project: Project, by: Staff, on: date, text: str, now: datetime) -> DailyReport:
    """R-R5: the lead's daily report to the manager (one per day)."""
    _require_team(project, by, lead_only=True)
    if project.status == ProjectStatus.COMPLETED:
        raise ConflictError(_("项目已完成,不能再提交日报。"))
    if not (text or "").strip():
        raise DomainError(_("请填写当日进展。"), field="text")
    if on is None:
        raise DomainError(_("请填写日期。"), field="on")
    with transaction.atomic():
        if DailyReport.objects.filter(project=project, on=on).exists():
            raise ConflictError(_("%(d)s 的日报已提交。") % {"d": on})
        report = DailyReport.objects.create(project=project, on=on, by=by, text=text.strip(), created_at=now)
        from servicedesk.notifications import notify

        managers = list(Staff.objects.active().with_role(Role.MANAGER).select_related("user"))
        notify(recipients=managers, key=f"project-daily:{report.pk}",
               message=message(N_("%(p)s %(d)s 日报:%(t)s"), p=str(project), d=Date(on), t=report.text[:120]),
               link=reverse("dispatch:projects:detail", args=[project.pk]), now=now)
    return report


def add_work_record(*, project: Project, by: Staff, on: date, serials: str = "", quantity: int = 1, note: str = "", now: datetime) -> WorkRecord:
    _require_team(project, by)
    if project.status == ProjectStatus.COMPLETED:
        raise ConflictError(_("项目已完成,不能再登记工作记录。"))
    try:  # plain ASCII digits only (servicedesk.quantities): int() would take "١٠٠", "1_000" and "+5"
        quantity = parse_quantity(quantity, field="quantity")
    except QuantityError:
        raise DomainError(_("数量必须是正整数。"), field="quantity") from None
    if on is None:
        raise DomainError(_("请填写日期。"), field="on")
    return WorkRecord.objects.create(project=project, technician=by, on=on, serials=(serials or "").strip(), quantity=quantity,
                                     note=(note or "").strip(), created_at=now)


def send_summary(*, project: Project, by: Staff, text: str, now: datetime):
    """R-R5: the final summary report to the client; issues the client's survey link."""
    _require_team(project, by, lead_only=True)
    if not (text or "").strip():
        raise DomainError(_("请填写项目总结报告。"), field="summary_report")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if hasattr(project, "survey"):
            raise ConflictError(_("客户已填写满意度调查。"))
        project.summary_report, project.summary_sent_at = text.strip(), now
        project.save(update_fields=["summary_report", "summary_sent_at"])
        link = links.issue_link(purpose=LinkPurpose.PROJECT_SURVEY, object_id=project.pk, by=by, now=now)
    return project, link


def project_for_token(*, token: str, now: datetime) -> Project:
    link = links.resolve_link(token=token, purpose=LinkPurpose.PROJECT_SURVEY, now=now)
    return Project.objects.select_related("client", "site", "manager").get(pk=link.object_id)


def client_complaint(*, token: str, words: str, client_name: str = "", now: datetime):
    """R-K10: the client complains through the survey link (about the team's work: no single technician named)."""

    def subject(project_id):
        return Project.objects.select_related("client").get(pk=project_id).client, None

    return links.complain_through_link(token=token, purpose=LinkPurpose.PROJECT_SURVEY, words=words,
                                       client_name=client_name, now=now, subject=subject)


def submit_survey(*, token: str, satisfaction: str, needs: str = "", staffing_timing: str = "", work_done: str = "",
                  summary: str = "", client_name: str = "", now: datetime) -> ProjectSurvey:
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("请选择满意度。"), field="satisfaction")
    with transaction.atomic():
        link = links.resolve_link(token=token, purpose=LinkPurpose.PROJECT_SURVEY, now=now, for_update=True)
        project = Project.objects.select_for_update().get(pk=link.object_id)
        if ProjectSurvey.objects.filter(project=project).exists():
            raise links.LinkUsed(_("满意度调查已提交,感谢您的反馈!"))
        survey = ProjectSurvey.objects.create(
            project=project, satisfaction=satisfaction, needs=(needs or "").strip(), staffing_timing=(staffing_timing or "").strip(),
            work_done=(work_done or "").strip(), summary=(summary or "").strip(), client_name=(client_name or "").strip()[:40], submitted_at=now,
        )
        link.used_at = now
        link.save(update_fields=["used_at"])
        if satisfaction not in SATISFIED:
            from servicedesk.notifications import notify

            managers = list(Staff.objects.active().with_role(Role.MANAGER).select_related("user"))
            notify(recipients=managers, key=f"project-survey-bad:{project.pk}",
                   message=message(N_("客户对项目 %(p)s 的满意度为“%(s)s”。"), p=str(project), s=Satisfaction(satisfaction).label),
                   link=reverse("dispatch:projects:detail", args=[project.pk]), now=now)
    return survey


# ---------------------------------------------------------------- completion and the bonus (R-M5–R-M8)
def _complete_team_service(project: Project, *, documents_complete_on: date | None, client_satisfied: bool) -> None:
    """R-M5 only (SPEC decision): no contract, no pool, no shares; the month close reads the satisfaction."""
    project.contract_fulfilled, project.documents_complete_on, project.client_satisfied = None, documents_complete_on, client_satisfied
    project.pool = None
    project.pool_explanation = {
        "rule": "R-M5", "inputs": {"client_satisfied": client_satisfied},
        "text": (message(N_("团队服务客户满意:组长与每位组员按 R-M5 获奖励(计入完成当月)。")) if client_satisfied
                 else message(N_("团队服务客户不满意:组长按 R-M5 受罚(计入完成当月)。"))),
    }


def _complete_contract_project(project: Project, *, contract_fulfilled: bool, documents_complete_on: date | None,
                               client_satisfied: bool, on: date) -> Pool | None:
    """R-M6: no bonus unless the contract is fulfilled, the documents are complete and the client is satisfied;
    else the pool recomputed on the completion day (the table, or the manager's figure). Returns the pool paid."""
    project.contract_fulfilled, project.documents_complete_on, project.client_satisfied = contract_fulfilled, documents_complete_on, client_satisfied
    reasons = []
    if not contract_fulfilled:
        reasons.append(message(N_("合同未履行")))
    if documents_complete_on is None:
        reasons.append(message(N_("项目资料不齐全")))
    if not client_satisfied:
        reasons.append(message(N_("客户不满意")))
    if reasons:
        project.pool = Decimal("0.00")
        project.pool_explanation = {"rule": "R-M6", "text": message(N_("不发放项目奖金:%(r)s。"), r=reasons),
                                    "inputs": {"contract_fulfilled": contract_fulfilled, "documents_complete": documents_complete_on is not None,
                                               "client_satisfied": client_satisfied}}
        return None
    pool = project_pool(kind=project.kind, contract_amount=project.contract_amount, on=on,
                        manual_pool=project.manual_pool, manual_manager_share=project.manual_manager_share)
    if pool.pool is None:
        raise DomainError(_("该项目的奖金池应由部门经理确定,请先填写奖金池。"), field="pool")
    project.pool, project.pool_explanation = pool.pool, pool.explanation
    return pool


def complete_project(*, project: Project, by: Staff, contract_fulfilled: bool | None, documents_complete_on: date | None,
                     client_satisfied: bool | None, now: datetime) -> Project:
    """Record the outcome. No bonus unless the contract is fulfilled, the documents are complete and the client
    is satisfied (R-M6). `project_completed` is sent inside this transaction with the pool paid: bonuses splits
    it and keeps the shares as ProjectShare rows (never deleted); a failing receiver rolls the completion back."""
    if not by.has_role(Role.MANAGER):
        raise PermissionDenied(_("只有部门经理可以确认项目完成。"))
    with transaction.atomic():
        project = Project.objects.select_for_update(of=("self",)).select_related("contract").get(pk=project.pk)
        if project.status == ProjectStatus.COMPLETED:
            raise ConflictError(_("项目已确认完成,奖金已分配,不能重复确认。"))
        survey = ProjectSurvey.objects.filter(project=project).first()
        if client_satisfied is None and survey is not None:
            client_satisfied = survey.satisfaction in SATISFIED
        if client_satisfied is None:
            raise DomainError(_("请填写客户是否满意(或等待客户提交满意度调查)。"), field="client_satisfied")
        team = project.kind == ProjectKind.TEAM
        if not team and contract_fulfilled is None and project.contract_id:
            from ..contracts.selectors import is_fulfilled

            contract_fulfilled = is_fulfilled(project.contract)
        if not team and contract_fulfilled is None:
            raise DomainError(_("请填写合同是否已履行。"), field="contract_fulfilled")
        on = local_date(now)
        if documents_complete_on is not None and documents_complete_on > on:
            raise DomainError(_("资料齐全日期不能晚于今天。"), field="documents_complete_on")
        pool = None
        if team:
            _complete_team_service(project, documents_complete_on=documents_complete_on, client_satisfied=client_satisfied)
        else:
            pool = _complete_contract_project(project, contract_fulfilled=contract_fulfilled, documents_complete_on=documents_complete_on,
                                              client_satisfied=client_satisfied, on=on)
        project.status, project.completed_at, project.completed_by = ProjectStatus.COMPLETED, now, by
        project.save()
        # R-M6..R-M8: bonuses writes the shares (when a pool is paid) in this transaction; `send`, not
        # `send_robust`, so a receiver's error propagates and nothing of the completion stays.
        project_completed.send(sender=Project, project=project, pool=pool, on=on)
    return project
