"""Who pays for a line or a whole visit (SPEC §6, R-B1…R-B8): free, charged, or for the salesperson to agree.

Precedence (first match wins; the charged amount always comes from the price list, R-P1…R-P5):

1. **R-B8** Key account (kind key_account) whose outsourced-service agreement starts *after* the visit
   date, or that has no agreement date at all (未签外包服务协议前: no agreement signed yet is "before"):
   all maintenance is free except parts. Part lines are charged (R-P1); every other line (consumables,
   repairs, software) and the on-site fee are free.
2. **Software lines** (R-P5 items):
   - key-account-dept retail client → **R-B5** software installation is always charged;
   - bidding-dept client → **R-B2** (first `billing.free_software_visits` = 3 software visits of the
     client free, later ones charged) or **R-B3** (free up to and including `billing.software_free_working_days`
     = 15 working days after the equipment's installation date), as `client.software_entitlement` says;
     without an installation date the R-B3 entitlement cannot be shown and the line is charged;
   - key-account-dept key account → charged at list price.
3. **Hardware lines** (parts and repairs):
   - manufacturer warranty in force on the visit date → free (**R-B1**; for key-account-dept clients
     R-B5 "hardware follows the warranty" includes the manufacturer's);
   - bidding dept otherwise → the cooperation-form mark (**R-B4**): not chargeable → free, chargeable or
     no form → charged at list price;
   - key-account dept, company warranty in force (manufacturer's expired) → **R-B6**: the company bears
     the cost (the client pays nothing now); a repair plan with the list cost is recorded for the
     salesperson to agree with the client;
   - key-account dept, no warranty: retail client → charged (**R-B5** "then charged"); key account →
     **R-B7** out-of-warranty costs are agreed by the salesperson (repair plan, nothing charged now:
     technicians do not raise fees themselves).
4. **Consumables** are not covered by warranties: bidding dept → cooperation mark (R-B4) as above;
   key-account dept → charged.
5. **On-site fee (R-P6)**: retail clients only (the price list adds it to R-P1, R-P2 and R-P4 rows),
   at most once per visit, and only when at least one such line is actually charged — so a visit
   made free by an entitlement (R-B1…R-B4, R-B6, R-B8) never pays it.
"""
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Department, SoftwareEntitlement
from servicedesk.errors import CalendarMissingError
from servicedesk.params import ParamValue
from servicedesk.texts import Date, message
from servicedesk.workdays import add_working_days_marked

from .choices import LineKind

CHARGE = "charge"
FREE = "free"
SALESPERSON = "salesperson"


@dataclass
class Entitlement:
    outcome: str  # CHARGE / FREE / SALESPERSON
    rule: str | None  # the R-B rule that decided it (None: plainly the price list)
    reason: dict | str = ""  # a stored message (servicedesk.texts); "" when the price list alone decides
    inputs: dict = field(default_factory=dict)
    params: list[ParamValue] = field(default_factory=list)


@dataclass
class VisitContext:
    client: object
    equipment: object | None
    on: date
    params: dict[str, ParamValue]
    cooperation_chargeable: bool | None = None
    software_visit_ordinal: int | None = None  # R-B2: this visit's place among the client's software visits


def before_agreement(client, on: date) -> bool:
    """R-B8/R-C3: a key account whose outsourced-service agreement has not started yet on `on` — including
    one without an agreement date: it has not signed one yet (未签外包服务协议前…均为无偿服务)."""
    return bool(client.is_key_account and (client.agreement_start is None or on < client.agreement_start))


def _agreement_text(client, *, parts: bool) -> dict:
    if client.agreement_start is None:
        if parts:
            return message(N_("R-B8:该大客户尚未签订外包服务协议,配件照常收费。"))
        return message(N_("R-B8:该大客户尚未签订外包服务协议,除配件外维护免费。"))
    if parts:
        return message(N_("R-B8:外包服务协议(%(start)s 起)生效前,配件照常收费。"), start=Date(client.agreement_start))
    return message(N_("R-B8:外包服务协议(%(start)s 起)生效前,除配件外维护免费。"), start=Date(client.agreement_start))


def uses_visit_count(client) -> bool:
    """R-B2 applies (and a free-visit slot is allocated) for bidding-dept clients entitled by visit count."""
    return client.department == Department.BIDDING and client.software_entitlement == SoftwareEntitlement.VISITS


def decide_line(*, kind: str, ctx: VisitContext) -> Entitlement:
    """The entitlement of one line (precedence in the module docstring)."""
    client = ctx.client
    if before_agreement(client, ctx.on):
        inputs = {"agreement_start": client.agreement_start.isoformat() if client.agreement_start else None}
        if kind == LineKind.PART:
            return Entitlement(CHARGE, "R-B8", _agreement_text(client, parts=True), inputs)
        return Entitlement(FREE, "R-B8", _agreement_text(client, parts=False), inputs)
    if kind == LineKind.SOFTWARE:
        return _software(ctx)
    if kind == LineKind.CONSUMABLE:
        if client.department == Department.BIDDING:
            return _cooperation_mark(ctx)
        return Entitlement(CHARGE, None)
    return _hardware(ctx)


def _software(ctx: VisitContext) -> Entitlement:
    client = ctx.client
    if client.department == Department.KEY_ACCOUNT:
        if not client.is_key_account:
            return Entitlement(CHARGE, "R-B5", message(N_("R-B5:大客户部零散客户的软件安装一律收费。")))
        return Entitlement(CHARGE, None)
    if client.software_entitlement == SoftwareEntitlement.WORKING_DAYS:
        return _software_working_days(ctx)
    allowance = ctx.params["billing.free_software_visits"]
    ordinal = ctx.software_visit_ordinal
    inputs = {"software_visit_ordinal": ordinal}
    if ordinal is not None and ordinal <= allowance.value:
        return Entitlement(
            FREE, "R-B2", message(N_("R-B2:该客户第 %(n)s 次软件上门(前 %(free)s 次免费)。"), n=ordinal, free=allowance.value),
            inputs, [allowance],
        )
    return Entitlement(
        CHARGE, "R-B2", message(N_("R-B2:该客户第 %(n)s 次软件上门,超过 %(free)s 次免费,按价目表收费。"), n=ordinal, free=allowance.value),
        inputs, [allowance],
    )


def _software_working_days(ctx: VisitContext) -> Entitlement:
    days = ctx.params["billing.software_free_working_days"]
    installed_on = getattr(ctx.equipment, "installed_on", None)
    if installed_on is None:
        return Entitlement(
            CHARGE, "R-B3", message(N_("R-B3:没有设备安装日期,无法确认 %(n)s 个工作日的免费期,按价目表收费。"), n=days.value),
            {"installed_on": None}, [days],
        )
    try:
        free_until, provisional = add_working_days_marked(installed_on, days.value)
    except CalendarMissingError as exc:
        raise CalendarMissingError(exc.year, field="date") from exc
    inputs = {"installed_on": installed_on.isoformat(), "free_until": free_until.isoformat()}
    if provisional:  # SPEC §11: the free period ends in a year whose official calendar is not loaded yet
        inputs["provisional"] = True
    if ctx.on <= free_until:
        return Entitlement(
            FREE, "R-B3", message(N_("R-B3:安装(%(installed)s)后 %(n)s 个工作日内(至 %(until)s)软件服务免费。"),
                                    installed=Date(installed_on), n=days.value, until=Date(free_until)),
            inputs, [days],
        )
    return Entitlement(
        CHARGE, "R-B3", message(N_("R-B3:已超过安装(%(installed)s)后 %(n)s 个工作日的免费期(至 %(until)s),按价目表收费。"),
                                  installed=Date(installed_on), n=days.value, until=Date(free_until)),
        inputs, [days],
    )


def _hardware(ctx: VisitContext) -> Entitlement:
    client, equipment = ctx.client, ctx.equipment
    state = equipment.warranty_state(ctx.on) if equipment is not None else "none"
    inputs = {"warranty_state": state}
    if state == "manufacturer":
        inputs["manufacturer_warranty_end"] = equipment.manufacturer_warranty_end.isoformat()
        return Entitlement(
            FREE, "R-B1", message(N_("R-B1:设备在厂商保修期内(至 %(end)s),硬件更换免费。"), end=Date(equipment.manufacturer_warranty_end)),
            inputs,
        )
    if client.department == Department.BIDDING:
        return _cooperation_mark(ctx, inputs)
    if state == "company":
        inputs["company_warranty_end"] = equipment.company_warranty_end.isoformat()
        return Entitlement(
            SALESPERSON, "R-B6",
            message(N_("R-B6:厂商保修已过期,公司保修期内(至 %(end)s)由公司承担费用;维修方案及费用待业务员与客户商定是否收费。"),
                    end=Date(equipment.company_warranty_end)),
            inputs,
        )
    if client.is_key_account:
        return Entitlement(
            SALESPERSON, "R-B7", message(N_("R-B7:保修期外的费用由业务员与客户商定;技术员不自行收费。")), inputs,
        )
    return Entitlement(CHARGE, "R-B5", message(N_("R-B5:大客户部零散客户,硬件已过保修期,按价目表收费。")), inputs)


def _cooperation_mark(ctx: VisitContext, inputs: dict | None = None) -> Entitlement:
    inputs = dict(inputs or {}, cooperation_chargeable=ctx.cooperation_chargeable)
    if ctx.cooperation_chargeable is False:
        return Entitlement(FREE, "R-B4", message(N_("R-B4:配合单标记为不收费。")), inputs)
    if ctx.cooperation_chargeable is True:
        return Entitlement(CHARGE, "R-B4", message(N_("R-B4:配合单标记为收费,按价目表收费。")), inputs)
    return Entitlement(CHARGE, None, "", inputs)
