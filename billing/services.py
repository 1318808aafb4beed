"""Billing services (SPEC §6): quote a visit, record its charges at close-out, disputes (R-B9) and
repair-plan decisions (R-B6/R-B7). Plain functions, keyword-only arguments, one transaction each.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Client, WorkOrder
from servicedesk.money import parse_money
from servicedesk.params import UnknownParameterError, get_params
from servicedesk.quantities import QuantityError, parse_quantity
from servicedesk.texts import as_text, message, render

from . import entitlements, pricing
from .choices import (
    FIXED_REPAIR_ITEMS,
    ITEMS_BY_KIND,
    ChargeStatus,
    Decision,
    DecisionAction,
    LineItem,
    LineKind,
    RepairPlanStatus,
)
from .entitlements import CHARGE, FREE, SALESPERSON, VisitContext
from .models import ZERO, ChargeDecision, ChargeLine, RepairPlan, SoftwareVisitSlot, VisitCharge
from .signals import charge_decided

MAX_QUANTITY = 10_000
MAX_COST = Decimal("100000000")


class NotAllowedError(DomainError):
    """Refused because of who is asking (R-B9: only the client's salesperson or the department head decides)."""

    status_code = 403


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class LineInput:
    kind: str
    item: str = LineItem.OTHER
    cost: Decimal | None = None
    quantity: int = 1
    installed: bool = False
    description: str = ""

    def fingerprint(self) -> dict:
        return {
            "kind": str(self.kind),
            "item": str(self.item),
            "cost": None if self.cost is None else f"{self.cost.normalize():f}",
            "quantity": self.quantity,
            "installed": self.installed,
            "description": self.description,
        }


def _line_error(n: int, message) -> DomainError:
    return DomainError(_("第 %(n)s 行:%(msg)s") % {"n": n, "msg": message}, field="lines")


def _clean_cost(raw, n: int) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, (bool, float)):
        # Money never passes through float (SPEC: "Never float").
        raise _line_error(n, _("成本须为数字字符串,如 \"200.00\"。"))
    # Plain decimals only (docs/developers.md rule 1: a typo never becomes an amount): no exponent, NaN, non-ASCII
    # digits; the column holds 4 places, < MAX_COST.
    try:
        cost = parse_money(raw, field="cost", label=_("成本"), max_digits=12, decimal_places=4, allow_zero=True)
    except DomainError as exc:
        raise _line_error(n, exc.message)
    if cost >= MAX_COST:
        raise _line_error(n, _("成本过大。"))
    return cost


def clean_lines(lines) -> list[LineInput]:
    """Validate a visit's lines (dicts or LineInput); a bad line names its number and field (HTTP 400)."""
    if lines is None:
        lines = []
    if not isinstance(lines, (list, tuple)):
        raise DomainError(_("收费行须为列表。"), field="lines")
    cleaned = []
    for n, raw in enumerate(lines, start=1):
        data = raw.fingerprint() if isinstance(raw, LineInput) else dict(raw)
        kind, item = data.get("kind"), data.get("item") or LineItem.OTHER
        if kind not in LineKind.values:
            raise _line_error(n, _("未知的类别“%(v)s”,应为 part、consumable、repair 或 software。") % {"v": kind})
        if item not in ITEMS_BY_KIND[LineKind(kind)]:
            allowed = ", ".join(sorted(ITEMS_BY_KIND[LineKind(kind)]))
            raise _line_error(n, _("类别 %(kind)s 没有项目“%(v)s”(可选:%(allowed)s)。") % {"kind": kind, "v": item, "allowed": allowed})
        cost = _clean_cost(data.get("cost"), n)
        needs_cost = kind in (LineKind.PART, LineKind.CONSUMABLE) or (kind == LineKind.REPAIR and item == LineItem.OTHER)
        if needs_cost and cost is None:
            raise _line_error(n, _("请填写成本。"))
        quantity = data.get("quantity", 1)
        if quantity is None:
            quantity = 1
        try:  # plain ASCII digits only (servicedesk.quantities): never "١٠٠", "１００", "1E+2", "1_000" or "+5"
            quantity = parse_quantity(quantity, field="lines", max_value=MAX_QUANTITY)
        except QuantityError:
            raise _line_error(n, _("数量须为 1 到 %(max)s 的整数。") % {"max": MAX_QUANTITY}) from None
        installed = data.get("installed", False)
        if not isinstance(installed, bool):
            raise _line_error(n, _("“安装”须为是或否。"))
        cleaned.append(
            LineInput(
                kind=LineKind(kind), item=LineItem(item), cost=cost, quantity=quantity,
                installed=installed, description=str(data.get("description") or "")[:500],
            )
        )
    return cleaned


# --------------------------------------------------------------------------- quote


@dataclass
class QuotedLine:
    position: int
    input: LineInput
    amount: Decimal  # what the client pays for this line, rounded once
    list_amount: Decimal  # the price-list amount, rounded once (shown for free / pending lines)
    free: bool
    awaiting_salesperson: bool
    rule: str  # the rule that priced the line, or made it free / pending
    price_rule: str
    entitlement_rule: str | None
    inputs: dict
    params: list[dict]
    explanation: dict  # a stored message (servicedesk.texts)
    outcome: str = CHARGE


@dataclass
class Quote:
    on: date
    lines: list[QuotedLine]
    onsite_fee: Decimal
    onsite_fee_rule: str
    onsite_fee_explanation: dict | str  # a stored message; "" until the fee is decided
    onsite_fee_params: list[dict]
    visit_rule: str  # entitlement rule(s) that made the whole visit free, "" otherwise
    software_visit_ordinal: int | None
    total: Decimal = field(default=ZERO)


def _price(line: LineInput, client, params) -> pricing.PricedLine:
    if line.kind == LineKind.PART:
        return pricing.price_part(cost=line.cost, quantity=line.quantity, client=client, params=params)
    if line.kind == LineKind.CONSUMABLE:
        return pricing.price_consumable(
            cost=line.cost, quantity=line.quantity, installed=line.installed, client=client, params=params
        )
    if line.kind == LineKind.REPAIR:
        if line.item in FIXED_REPAIR_ITEMS:
            return pricing.price_fixed_repair(item=line.item, quantity=line.quantity, params=params)
        return pricing.price_other_repair(cost=line.cost, quantity=line.quantity, client=client, params=params)
    return pricing.price_software(item=line.item, quantity=line.quantity, params=params)


def _params_on(on: date):
    try:
        return get_params(pricing.PARAM_NAMES, on=on)
    except UnknownParameterError as exc:
        raise DomainError(exc.message, field="date") from exc


def needs_software_slot(*, client, on: date, lines: list[LineInput]) -> bool:
    return (
        entitlements.uses_visit_count(client)
        and not entitlements.before_agreement(client, on)
        and any(line.kind == LineKind.SOFTWARE for line in lines)
    )


def preview_software_ordinal(*, client, work_order=None) -> int:
    """R-B2 for a preview: the slot the work order already holds, else the next free ordinal (nothing consumed)."""
    if work_order is not None:
        slot = SoftwareVisitSlot.objects.filter(work_order=work_order).first()
        if slot:
            return slot.ordinal
    last = SoftwareVisitSlot.objects.filter(client=client).aggregate(m=Max("ordinal"))["m"] or 0
    return last + 1


def quote_visit(
    *,
    client: Client,
    equipment=None,
    on: date,
    lines,
    cooperation_chargeable: bool | None = None,
    software_visit_ordinal: int | None = None,
    work_order=None,
    carry_in: bool = False,
) -> Quote:
    """Price a visit: each line by the price list (R-P1…R-P5) and its entitlement (R-B1…R-B8), plus the
    on-site fee at most once (R-P6). Full precision inside; each line rounded once; total = Σ lines + fee.
    Reads only: a preview consumes no free software visit (see `record_visit_charges`)."""
    if not isinstance(on, date) or isinstance(on, datetime):
        raise DomainError(_("请填写服务日期。"), field="date")
    cleaned = clean_lines(lines)
    if equipment is not None and equipment.client_id != client.pk:
        raise DomainError(_("该设备不属于此客户。"), field="equipment")
    params = _params_on(on)
    if software_visit_ordinal is None and needs_software_slot(client=client, on=on, lines=cleaned):
        software_visit_ordinal = preview_software_ordinal(client=client, work_order=work_order)
    ctx = VisitContext(
        client=client, equipment=equipment, on=on, params=params,
        cooperation_chargeable=cooperation_chargeable, software_visit_ordinal=software_visit_ordinal,
    )
    quoted = [_quote_line(position, line, ctx) for position, line in enumerate(cleaned, start=1)]
    quote = Quote(
        on=on, lines=quoted, onsite_fee=ZERO, onsite_fee_rule="R-P6", onsite_fee_explanation="", onsite_fee_params=[],
        visit_rule="", software_visit_ordinal=software_visit_ordinal,
    )
    _apply_onsite_fee(quote, ctx, carry_in=carry_in)
    quote.total = sum((line.amount for line in quoted), ZERO) + quote.onsite_fee
    return quote


def _quote_line(position: int, line: LineInput, ctx: VisitContext) -> QuotedLine:
    priced = _price(line, ctx.client, ctx.params)
    decided = entitlements.decide_line(kind=line.kind, ctx=ctx)
    list_amount = priced.rounded
    if decided.outcome == FREE:
        amount = ZERO
        text = message(N_("%(reason)s 免收(按价目表应为:%(price)s)"), reason=decided.reason, price=priced.explanation)
    elif decided.outcome == SALESPERSON:
        amount = ZERO
        text = message(N_("%(reason)s 本次暂不收费(按价目表:%(price)s)"), reason=decided.reason, price=priced.explanation)
    else:
        amount = list_amount
        text = message(N_("%(reason)s %(price)s"), reason=decided.reason, price=priced.explanation) if decided.reason \
            else priced.explanation
    inputs = {**line.fingerprint(), **priced.inputs, **decided.inputs}
    inputs.pop("description", None)
    return QuotedLine(
        position=position,
        input=line,
        amount=amount,
        list_amount=list_amount,
        free=decided.outcome == FREE,
        awaiting_salesperson=decided.outcome == SALESPERSON,
        rule=priced.rule if decided.outcome == CHARGE else decided.rule,
        price_rule=priced.rule,
        entitlement_rule=decided.rule,
        inputs=inputs,
        params=priced.params_explained() + [p.as_explanation() for p in decided.params],
        explanation=text,
        outcome=decided.outcome,
    )


def _apply_onsite_fee(quote: Quote, ctx: VisitContext, *, carry_in: bool = False) -> None:
    """R-P6: retail clients, once per visit, only when a line of R-P1/R-P2/R-P4 is actually charged.
    A carry-in repair (送修) pays none: nobody went on site."""
    lines = quote.lines
    if lines and all(line.outcome == FREE for line in lines):
        quote.visit_rule = ",".join(sorted({line.entitlement_rule for line in lines if line.entitlement_rule}))
    if entitlements.before_agreement(ctx.client, ctx.on):
        quote.visit_rule = "R-B8"
    if carry_in:
        quote.onsite_fee_explanation = message(N_("送修维修:客户送修到公司,没有上门,不收上门费(R-P6)。"))
        return
    triggering = [line for line in lines if line.outcome == CHARGE and line.price_rule in pricing.RULES_WITH_ONSITE_FEE]
    fee = pricing.onsite_fee(params=ctx.params)
    quote.onsite_fee_params = fee.params_explained()
    if ctx.client.is_key_account:
        quote.onsite_fee_explanation = message(N_("大客户不收上门费(价目表仅对零散客户加收)。"))
        if quote.visit_rule == "R-B8":
            quote.onsite_fee_rule = "R-B8"
            quote.onsite_fee_explanation = message(N_("R-B8:外包服务协议生效前,上门维护免费,不收上门费。"))
        return
    if triggering:
        quote.onsite_fee = fee.rounded
        quote.onsite_fee_explanation = fee.explanation
        return
    if quote.visit_rule:
        quote.onsite_fee_rule = quote.visit_rule.split(",")[0]
        quote.onsite_fee_explanation = message(N_("本次上门按权益免费(%(rules)s),不收上门费(R-P6)。"), rules=quote.visit_rule)
    elif lines:
        quote.onsite_fee_explanation = message(N_("本次上门没有需加收上门费的收费项目(R-P1、R-P2、R-P4),不收上门费。"))
    else:
        quote.onsite_fee_explanation = message(N_("本次上门没有收费项目。"))


# --------------------------------------------------------------------------- recording at close-out


def allocate_software_visit(*, client: Client, work_order: WorkOrder, on: date, now: datetime) -> SoftwareVisitSlot:
    """R-B2: give the work order the client's next software-visit ordinal (once; re-quoting reuses it).

    The client row is locked so two visits closed at the same moment cannot take the same ordinal;
    the unique constraints (client, ordinal) and (work_order) are the backstop.
    """
    with transaction.atomic():
        existing = SoftwareVisitSlot.objects.filter(work_order=work_order).first()
        if existing:
            return existing
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        last = SoftwareVisitSlot.objects.filter(client=client).aggregate(m=Max("ordinal"))["m"] or 0
        allowance = _params_on(on)["billing.free_software_visits"].value
        return SoftwareVisitSlot.objects.create(
            client=client, work_order=work_order, ordinal=last + 1, on=on, free=last + 1 <= allowance, created_at=now
        )


def _is_settled(charge: VisitCharge) -> bool:
    if charge.status != ChargeStatus.RECORDED:
        return True
    live = charge.lines.filter(superseded=False)
    if live.exclude(status=ChargeStatus.RECORDED).exists():
        return True
    return RepairPlan.objects.filter(line__in=live).exclude(status=RepairPlanStatus.AWAITING_CLIENT).exists()


def record_visit_charges(*, work_order: WorkOrder, lines, by, on: date, now: datetime | None = None,
                         carry_in: bool = False) -> VisitCharge:
    """Persist the visit's quote on the work order (called by the dispatch close-out inside its transaction).

    A snapshot: amounts, rules, inputs, parameter versions and explanations are stored, so a later
    price change does not alter it. Re-recording the same lines returns the same record; different
    lines supersede the old ones (kept, never deleted) unless the charge is already disputed or
    decided, which is refused (409) rather than silently rewritten.
    """
    now = now or timezone.now()
    cleaned = clean_lines(lines)
    with transaction.atomic():
        wo = WorkOrder.objects.select_for_update(of=("self",)).select_related("client", "equipment").get(pk=work_order.pk)
        client = wo.client
        request = {
            "on": on.isoformat(),
            "equipment": wo.equipment_id,
            "cooperation_chargeable": wo.cooperation_chargeable,
            "lines": [line.fingerprint() for line in cleaned],
        }
        if carry_in:
            request["carry_in"] = True
        charge = VisitCharge.objects.select_for_update().filter(work_order=wo).first()
        if charge is not None and charge.request == request:
            return charge
        if charge is not None and _is_settled(charge):
            raise ConflictError(
                _("该工单的收费已有争议或已决定,不能重新录入;请先处理争议。"), field="work_order", code="charge_settled"
            )
        ordinal = None
        if needs_software_slot(client=client, on=on, lines=cleaned):
            ordinal = allocate_software_visit(client=client, work_order=wo, on=on, now=now).ordinal
        quote = quote_visit(
            client=client, equipment=wo.equipment, on=on, lines=cleaned,
            cooperation_chargeable=wo.cooperation_chargeable, software_visit_ordinal=ordinal, carry_in=carry_in,
        )
        values = dict(
            client=client, on=on, onsite_fee=quote.onsite_fee, onsite_fee_rule=quote.onsite_fee_rule,
            onsite_fee_explanation=quote.onsite_fee_explanation, onsite_fee_params=quote.onsite_fee_params,
            total=quote.total, visit_rule=quote.visit_rule, software_visit_ordinal=ordinal, request=request,
            recorded_by=by, recorded_at=now,
        )
        if charge is None:
            charge = VisitCharge.objects.create(work_order=wo, revision=1, **values)
        else:
            old = charge.lines.filter(superseded=False)
            RepairPlan.objects.filter(line__in=old, status=RepairPlanStatus.AWAITING_CLIENT).update(
                status=RepairPlanStatus.CANCELLED, reason=as_text(message(N_("收费已重新录入"))), decided_at=now
            )
            old.update(superseded=True)
            for key, value in values.items():
                setattr(charge, key, value)
            charge.revision += 1
            charge.save()
        for q in quote.lines:
            line = ChargeLine.objects.create(
                visit_charge=charge, position=q.position, revision=charge.revision, kind=q.input.kind, item=q.input.item,
                cost=q.input.cost, quantity=q.input.quantity, installed=q.input.installed, amount=q.amount,
                list_amount=q.list_amount, free=q.free, awaiting_salesperson=q.awaiting_salesperson, rule=q.rule,
                inputs=q.inputs, params=q.params, explanation=q.explanation,
            )
            if q.awaiting_salesperson:
                RepairPlan.objects.create(
                    work_order=wo, client=client, equipment=wo.equipment, line=line, rule=q.entitlement_rule,
                    cost=q.list_amount, description=q.input.description or render(q.explanation), created_at=now,
                )
    return charge


# --------------------------------------------------------------------------- disputes (R-B9) and repair plans


def can_decide(*, staff, client) -> bool:
    """R-B9: the client's salesperson, or the department head (manager), decides."""
    if staff is None:
        return False
    if staff.user.is_superuser:
        return True
    return staff.active and (client.salesperson_id == staff.pk or staff.has_role(Role.MANAGER))


def can_mark_disputed(*, staff, work_order) -> bool:
    if staff is None or not staff.active:
        return False
    if staff.user.is_superuser or staff.has_role(Role.COORDINATOR, Role.MANAGER, Role.SALES, Role.FINANCE):
        return True
    return work_order.technician_id == staff.pk


def _require_reason(reason) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写理由。"), field="reason")
    return reason


def _target(charge: VisitCharge, line):
    """The locked object whose status the dispute is about: a live line of the charge, or the whole charge."""
    if line is None:
        return charge
    if isinstance(line, ChargeLine):
        line = line.pk
    target = ChargeLine.objects.select_for_update().filter(pk=line, visit_charge=charge, superseded=False).first()
    if target is None:
        raise DomainError(_("该收费明细不属于此工单的当前收费。"), field="line")
    return target


def mark_disputed(*, visit_charge: VisitCharge, line=None, by, reason: str, now: datetime) -> ChargeDecision:
    """R-B9: the client disputes a charge (one line, or the whole visit's charge when `line` is None)."""
    reason = _require_reason(reason)
    with transaction.atomic():
        charge = VisitCharge.objects.select_for_update(of=("self",)).select_related("work_order").get(pk=visit_charge.pk)
        if not can_mark_disputed(staff=by, work_order=charge.work_order):
            raise NotAllowedError(_("您无权登记此收费的争议。"), field="by", code="not_allowed")
        target = _target(charge, line)
        if target.status != ChargeStatus.RECORDED:
            raise ConflictError(
                _("该收费当前为“%(s)s”,不能再标记争议。") % {"s": target.get_status_display()}, field="status"
            )
        target.status = ChargeStatus.DISPUTED
        target.save(update_fields=["status"])
        return ChargeDecision.objects.create(
            visit_charge=charge, line=target if target is not charge else None, action=DecisionAction.DISPUTED,
            reason=reason, by=by, at=now,
        )


def decide_dispute(*, visit_charge: VisitCharge, line=None, decision: str, reason: str, by, now: datetime) -> ChargeDecision:
    """R-B9: the client's salesperson or the department head decides a disputed charge: charge or waive."""
    if decision not in Decision.values:
        raise DomainError(_("决定须为“收费”或“免收”。"), field="decision")
    reason = _require_reason(reason)
    with transaction.atomic():
        charge = VisitCharge.objects.select_for_update(of=("self",)).select_related("client").get(pk=visit_charge.pk)
        if not can_decide(staff=by, client=charge.client):
            raise NotAllowedError(
                _("只有该客户的业务员或部门经理可以决定争议收费。"), field="decided_by", code="not_allowed"
            )
        target = _target(charge, line)
        if target.status != ChargeStatus.DISPUTED:
            raise ConflictError(_("该收费没有争议,无需决定。"), field="status")
        target.status = ChargeStatus.CHARGED if decision == Decision.CHARGE else ChargeStatus.WAIVED
        target.save(update_fields=["status"])
        record = ChargeDecision.objects.create(
            visit_charge=charge, line=target if target is not charge else None,
            action=DecisionAction.CHARGE if decision == Decision.CHARGE else DecisionAction.WAIVE,
            reason=reason, by=by, at=now,
        )
        # R-S1/R-B9: the visit's sales confirmation follows (receivables listens); same transaction.
        charge_decided.send(sender=ChargeDecision, work_order=charge.work_order, decision=record, rule="R-B9",
                            reason=reason, by=by, now=now, source={"charge_decision": record.pk, "decision": decision})
        return record


def _onsite_fee_on_agreement(*, plan: RepairPlan) -> None:
    """R-B6 + R-P1/R-P2/R-P4 + R-P6: a retail client who agrees to pay a repair plan pays the price-list row as a
    retail client — with the on-site fee, once per visit (250 + 50 = 300). Key accounts (R-B7) pay no on-site fee;
    a visit that already carries the fee is not charged it twice. The line's own amount stays its plan cost."""
    charge = VisitCharge.objects.select_for_update().select_related("client").get(pk=plan.line.visit_charge_id)
    if charge.client.is_key_account or charge.onsite_fee > 0 or charge.status == ChargeStatus.WAIVED:
        return
    if charge.request.get("carry_in"):  # a carry-in repair: nobody went on site
        return
    if pricing.price_rule_of(kind=plan.line.kind, item=plan.line.item) not in pricing.RULES_WITH_ONSITE_FEE:
        return
    fee = pricing.onsite_fee(params=_params_on(charge.on))
    charge.onsite_fee = fee.rounded
    charge.onsite_fee_rule = "R-P6"
    charge.onsite_fee_params = fee.params_explained()
    charge.onsite_fee_explanation = message(
        N_("%(rule)s:业务员与客户商定收费,按零散客户价目表加收上门费 ¥%(fee)s(每次上门最多收一次)。"),
        rule=plan.rule or "R-B6", fee=pricing.yuan(fee.amount),
    )
    charge.save(update_fields=["onsite_fee", "onsite_fee_rule", "onsite_fee_params", "onsite_fee_explanation"])


def decide_repair_plan(*, plan: RepairPlan, decision: str, reason: str, by, now: datetime) -> RepairPlan:
    """R-B6/R-B7: the salesperson (or the department head) records the client's agreement: charge or waive."""
    if decision not in Decision.values:
        raise DomainError(_("决定须为“收费”或“免收”。"), field="decision")
    reason = _require_reason(reason)
    with transaction.atomic():
        plan = RepairPlan.objects.select_for_update(of=("self",)).select_related("client", "line").get(pk=plan.pk)
        if not can_decide(staff=by, client=plan.client):
            raise NotAllowedError(
                _("只有该客户的业务员或部门经理可以决定维修方案是否收费。"), field="decided_by", code="not_allowed"
            )
        if plan.status != RepairPlanStatus.AWAITING_CLIENT:
            raise ConflictError(
                _("该维修方案当前为“%(s)s”,不能再决定。") % {"s": plan.get_status_display()}, field="status"
            )
        plan.status = RepairPlanStatus.CHARGE if decision == Decision.CHARGE else RepairPlanStatus.WAIVE
        plan.decided_by, plan.decided_at, plan.reason = by, now, reason
        plan.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if decision == Decision.CHARGE:
            _onsite_fee_on_agreement(plan=plan)
        record = ChargeDecision.objects.create(
            visit_charge_id=plan.line.visit_charge_id, line=plan.line,
            action=DecisionAction.CHARGE if decision == Decision.CHARGE else DecisionAction.WAIVE,
            reason=reason, by=by, at=now,
        )
        # R-S1/R-B6/R-B7: the agreed amount reaches the visit's sales confirmation, created or corrected
        # (receivables listens); same transaction.
        charge_decided.send(sender=ChargeDecision, work_order=plan.work_order, decision=record,
                            rule=plan.rule or "R-B6", reason=reason, by=by, now=now,
                            source={"charge_decision": record.pk, "repair_plan": plan.pk, "decision": decision})
        return plan
