"""Step 3 of the demo: the office around the field work — callbacks (R-K1…R-K7), the beat scans,
penalty decisions (R-N1), sales confirmations and receivables (R-S1…R-S7), charge disputes (R-B9)."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .fieldwork import Job, _m

COMPLAINTS = ["技术员态度不好,问题也没有彻底解决,第二天又坏了", "约好上午到,下午才来,也没提前打电话"]


def _coordinator(demo, when):
    return demo.staff["coord1"] if when.toordinal() % 2 else demo.staff["coord2"]


def plan_office_work(demo) -> None:
    """The daily, weekly and monthly office routine on the agenda."""
    day = demo.today - timedelta(days=demo.history_days)
    months_done = set()
    while day <= demo.today:
        if demo.is_working_day(day):
            if day < demo.today:  # today's callbacks are still in the coordinator's queue
                demo.plan(demo.at(day, 10, 0), callbacks, "morning")
                demo.plan(demo.at(day, 15, 30), callbacks, "afternoon")
            if day.weekday() == 4:
                demo.plan(demo.at(day, 9, 0), weekly_reconciliation)
                demo.plan(demo.at(day, 16, 30), decide_penalties)
            if day.weekday() == 0:
                demo.plan(demo.at(day, 9, 0), overdue_review)
            key = (day.year, day.month)
            if key not in months_done and day.day <= 10:
                months_done.add(key)
                demo.plan(demo.at(day, 11, 0), statements, day)
        if day == demo.today - timedelta(days=33):
            demo.plan(demo.at(day, 11, 10), phone_complaint, False)
            demo.plan(demo.at(day, 16, 40), record_offence, "supervisor", "tech3", "P5", "机房维修工作台杂乱,配件与工具混放,未按规定整理")
        if day == demo.today - timedelta(days=2):
            demo.plan(demo.at(day, 14, 5), phone_complaint, True)
            demo.plan(demo.at(day, 17, 0), record_offence, "tech1", "tech4", "P11", "未按流程在送修登记表上登记送修设备")
        # the beat: breaches (R-W7), callback windows and overdue callbacks (R-K7), every evening
        demo.plan(demo.at(day, 18, 30), beat)
        day += timedelta(days=1)


def beat(demo, when) -> None:
    from callbacks.services import scan_callbacks
    from dispatch.services import scan_deadlines

    out = scan_deadlines(now=when)
    demo.count("SLA breaches", out.get("breached", 0))
    scan_callbacks(now=when)


# ------------------------------------------------------------------ callbacks
def callbacks(demo, when, part) -> None:
    """The coordinator works the callback queue: most clients answer, a few say "no" to an item, one is
    dissatisfied, some never pick up (R-K6), a few calls are simply not made in time (overdue, R-K7)."""
    from callbacks.choices import CallbackStatus
    from callbacks.models import Callback
    from callbacks.services import record_call, record_no_answer, scan_callbacks

    scan_callbacks(now=when)
    by = _coordinator(demo, when)
    skipped = demo.__dict__.setdefault("_skipped_callbacks", set())
    queue = Callback.objects.filter(status__in=[CallbackStatus.DUE, CallbackStatus.OVERDUE], window_opens_at__lte=when)
    for cb in queue.select_related("work_order").order_by("due_at"):
        if cb.pk in skipped or cb.technician_id == by.pk:
            continue
        r = demo.rnd.random()
        if r < 0.04:
            skipped.add(cb.pk)  # nobody gets round to it: the scan marks it overdue
            continue
        if r < 0.13:
            for k in range(3):
                record_no_answer(callback=cb, by=by, now=when + _m(1 + 70 * k))
            demo.count("callbacks unreachable")
            continue
        answered = demo.counts.get("callbacks answered", 0)
        dissatisfied = answered in (14, 61)
        sat = "dissatisfied" if dissatisfied else demo.rnd.choices(
            ["very_satisfied", "satisfied", "neutral"], weights=[80, 15, 5]
        )[0]
        answers = {"badge": True, "explained": True, "cleaned": True, "signed": True}
        if demo.rnd.random() < 0.07:
            answers[demo.rnd.choice(list(answers))] = False
        record_call(
            callback=cb, by=by, now=when + _m(2), satisfaction=sat, **answers,
            complaint=COMPLAINTS[answered % 2] if dissatisfied else "",
        )
        demo.count("callbacks answered")
        if dissatisfied:
            demo.plan(when + timedelta(days=1), complaint_follow_up, cb.pk, "reply")
        if cb.work_order.status == "resolved":
            demo.plan(when + _m(30), close_order, cb.work_order_id)


def complaint_follow_up(demo, when, callback_id, step) -> None:
    """R-K10: the manager answers with the root cause and the agreed fix; the client confirms later."""
    from callbacks import complaints as cs
    from callbacks.models import Complaint

    c = Complaint.objects.filter(callback_id=callback_id).first()
    if c is None:
        return
    if step == "reply":
        # R-K10: the manager decides first — the late arrival without a call is the technician's own work (P8
        # proposed to them); the other complaint was a repeat fault the product caused (nobody is blamed)
        manager = demo.staff["manager"]
        if "没提前打电话" in c.words:
            cs.decide(complaint=c, by=manager, now=when - timedelta(minutes=30), outcome="own_work",
                      responsible=c.technician, reason="未按约定时间到达,也未提前告知客户")
        else:
            cs.decide(complaint=c, by=manager, now=when - timedelta(minutes=30), outcome="not_person", cause="product",
                      reason="同型号硒鼓批次质量问题,已向厂家反馈")
        cs.reply(complaint=c, by=c.owner or demo.staff["manager"], now=when, root_cause="技术员未按约定时间到达,也未提前告知客户",
                 agreed_fix="向客户致歉;组长回访并复查设备;本组重申预约到达规定", fix_due_on=timezone.localtime(when).date() + timedelta(days=2))
        demo.plan(when + timedelta(days=3), complaint_follow_up, callback_id, "confirm")
    else:
        cs.confirm_by_client(complaint=c, by=c.owner or demo.staff["manager"], now=when, confirmation="客户表示满意,问题已解决")


def phone_complaint(demo, when, recent) -> None:
    """R-K10: a client phones in a complaint about a recent visit; an older one was answered and confirmed."""
    from callbacks import complaints as cs
    from servicedesk.models import WorkOrder

    wo = WorkOrder.objects.filter(status__in=["resolved", "closed"], created_at__lt=when).select_related("client").order_by("-created_at")[3]
    c = cs.register_complaint(channel="phone", client=wo.client, work_order=wo, by=_coordinator(demo, when), now=when,
                              words="打印机修好第二天又卡纸,技术员说是耗材问题,但耗材是新换的" if not recent else "维修后电脑仍然频繁死机,希望尽快派人复查")
    demo.count("complaints")
    if not recent:  # the recent one waits for the manager's decision (a to-do in the demo)
        owner = c.owner or demo.staff["manager"]
        cs.decide(complaint=c, by=demo.staff["manager"], now=when + timedelta(hours=4), outcome="own_work",
                  responsible=c.technician, reason="上次维修未检查定影组件")
        cs.reply(complaint=c, by=owner, now=when + timedelta(hours=5), root_cause="定影组件未完全复位",
                 agreed_fix="次日上门免费复查并更换定影组件", fix_due_on=timezone.localtime(when).date() + timedelta(days=1))
        cs.confirm_by_client(complaint=c, by=owner, now=when + timedelta(days=2), confirmation="已复查,打印正常,客户确认")


def record_offence(demo, when, recorder, person, rule, observed) -> None:
    """R-N5: an offence no event reveals, recorded with what was seen and when, as a proposal."""
    from penalties.offences import record_offence as record

    record(person=demo.staff[person], rule=rule, occurred_at=when - timedelta(hours=2), observed=observed,
           by=demo.staff[recorder], now=when)
    demo.count("offences recorded")


def close_order(demo, when, work_order_id) -> None:
    from dispatch import services as ds
    from servicedesk.models import WorkOrder

    wo = WorkOrder.objects.get(pk=work_order_id)
    if wo.status == "resolved":
        ds.close(work_order=wo, by=_coordinator(demo, when), now=when)
        demo.count("closed")


# ------------------------------------------------------------------ penalties (R-N1)
def decide_penalties(demo, when) -> None:
    """Friday afternoon: the manager decides the week's proposals (this week's stay in the queue)."""
    from penalties import services as ps
    from penalties.choices import PenaltyStatus
    from penalties.models import Penalty

    manager = demo.staff["manager"]
    # by the event's date: some services stamp `proposed_at` with the real clock
    # the last week's proposals stay in the manager's queue
    last = min(timezone.localtime(when).date() - timedelta(days=1), demo.today - timedelta(days=7))
    rows = Penalty.objects.filter(status=PenaltyStatus.PENDING, occurred_on__lte=last).exclude(person=manager)
    for pen in rows.order_by("occurred_on", "pk"):
        if pen.rule == "P7":
            demo.count("P7 decided")
        if pen.rule == "P7" and demo.counts["P7 decided"] in (2, 9):
            ps.reject(penalty=pen, by=manager, now=when, reason="客户临时改约,迟到不属技术员责任")
        elif pen.rule == "P8" and not pen.joint_role and not demo.__dict__.get("_failed_supervision_shown"):
            # P8 Decision: the first one is marked "caused by failed supervision" → joint proposals for the team
            # lead, the manager himself (decided by the GM office) and the supervising leader
            demo._failed_supervision_shown = True
            ps.confirm(penalty=pen, by=manager, now=when, failed_supervision=True)
        elif pen.rule == "P1" and pen.max_points > pen.suggested_points:
            ps.confirm(penalty=pen, by=manager, now=when, points=pen.suggested_points + 5, reason="无正当理由拒单,影响客户服务")
        else:
            ps.confirm(penalty=pen, by=manager, now=when)
        demo.count("penalties decided")
    # P8 Decision: the proposals about the manager himself are decided by the GM office
    about_manager = Penalty.objects.filter(status=PenaltyStatus.PENDING, person=manager, occurred_on__lte=last)
    for pen in about_manager.order_by("occurred_on", "pk"):
        ps.confirm(penalty=pen, by=demo.staff["gm"], now=when, reason="")
        demo.count("penalties decided by the GM office")


# ------------------------------------------------------------------ sales and receivables (R-S1…R-S7)
def sell(demo, when, job: Job) -> None:
    """R-S1: a visit with a charge becomes a numbered sales confirmation, signed by both, its delivery
    copy registered by the coordinator; retail clients pay on the spot or within 7 working days."""
    from billing.models import VisitCharge
    from receivables import services as rs
    from receivables.choices import PaymentTerms, PriceSource
    from receivables.models import SalesConfirmation

    wo = job.wo
    charge = VisitCharge.objects.filter(work_order=wo).first()
    if charge is None or charge.total <= 0:
        return
    conf = SalesConfirmation.objects.filter(work_order=wo).first()  # the visit→sale hook may have written it
    retail = wo.client.kind == "retail"
    sold_on = timezone.localtime(when).date()
    on_the_spot = retail and demo.rnd.random() < 0.45
    if conf is None:
        lines = [
            {"description": f"{line.get_kind_display()} {line.get_item_display()}", "quantity": line.quantity,
             "unit_price": str((line.amount / line.quantity).quantize(Decimal("0.01"))), "price_source": PriceSource.BILLING}
            for line in charge.lines.filter(superseded=False).order_by("position") if line.amount > 0
        ]
        if charge.onsite_fee and charge.onsite_fee > 0:
            lines.append({"description": "上门费", "quantity": 1, "unit_price": str(charge.onsite_fee), "price_source": PriceSource.BILLING})
        if not lines:
            return
        terms = (PaymentTerms.ON_THE_SPOT if on_the_spot else PaymentTerms.WORKING_DAYS) if retail else None
        conf = rs.create_confirmation(
            client=wo.client, technician=job.tech, sold_on=sold_on, lines=lines, now=when, by=job.tech,
            site=wo.site, work_order=wo, payment_terms=terms,
        )
    demo.count("sales confirmations")
    if conf.status in ("draft", "technician_signed"):
        rs.record_signatures(confirmation=conf, signatory=wo.contact_name or "客户", by=job.tech, now=when + _m(2))
    conf.refresh_from_db()
    role = None
    if retail and (conf.payment_terms == PaymentTerms.ON_THE_SPOT or on_the_spot):
        rs.collect_on_the_spot(confirmation=conf, method="cash", invoice_number=f"FP{conf.number[-9:]}", by=job.tech,
                               now=when + _m(3), received_on=sold_on)
        demo.count("payments")
    elif retail:
        if 25 <= (demo.today - sold_on).days <= 75:
            special = demo.__dict__.setdefault("_special_sales", [])
            if len(special) < 3:
                role = ["overdue", "extension", "unregistered"][len(special)]
                special.append(role)
        if role is None:
            demo.plan(when + timedelta(days=demo.rnd.randint(2, 7), hours=2), pay, conf.pk)
        elif role == "extension":
            demo.plan(when + timedelta(days=5), extension, conf.pk)
    if role != "unregistered":
        demo.plan(demo.at((when + timedelta(days=demo.rnd.choice([1, 1, 2, 3]))).date(), 11, 20), register_copy, conf.number)


def register_copy(demo, when, number) -> None:
    from receivables import services as rs

    rs.register_delivery_copy(number=number, by=_coordinator(demo, when), now=when)
    demo.count("delivery copies registered")


def pay(demo, when, conf_pk) -> None:
    from receivables import services as rs
    from receivables.models import SalesConfirmation

    conf = SalesConfirmation.objects.get(pk=conf_pk)
    if conf.outstanding > 0:
        rs.record_payment(amount=conf.outstanding, received_on=timezone.localtime(when).date(), by=demo.staff["finance"],
                          now=when, confirmation=conf, reference=f"银行转账 {conf.number}")
        demo.count("payments")


def extension(demo, when, conf_pk) -> None:
    """R-S4: the client asks in writing for more time; the manager, then the GM office approve."""
    from receivables import services as rs
    from receivables.models import SalesConfirmation

    conf = SalesConfirmation.objects.get(pk=conf_pk)
    ext = rs.request_extension(confirmation=conf, requested_due_date=conf.due_date + timedelta(days=20),
                               reason="客户书面申请:财务月底统一付款", by=conf.technician, now=when)
    rs.approve_extension(extension=ext, by=demo.staff["manager"], now=when + timedelta(hours=3), note="同意")
    rs.approve_extension(extension=ext, by=demo.staff["gm"], now=when + timedelta(days=1), note="同意延期")
    demo.count("extensions approved")
    demo.plan(when + timedelta(days=18), pay, conf.pk)


def weekly_reconciliation(demo, when) -> None:
    from receivables import services as rs

    rs.prepare_weekly_reconciliations(on=timezone.localtime(when).date(), now=when)


def overdue_review(demo, when) -> None:
    """R-S6: Monday's overdue list; the manager notes each item for the salesperson (R-S5 excuses)."""
    from receivables import services as rs
    from receivables.choices import OverdueCause

    review = rs.prepare_overdue_review(on=timezone.localtime(when).date(), now=when)
    for item in review.items.filter(noted_at__isnull=True, registered=True):
        rs.note_overdue_item(item=item, cause=OverdueCause.CLIENT, note="客户资金周转,业务员本周上门催收",
                             by=demo.staff["manager"], now=when + _m(40))


def statements(demo, when, day) -> None:
    """R-S2: at the start of a month the coordinator compiles last month's key-account statements, the
    manager reviews, finance checks and sends; the clients pay within the following weeks."""
    from receivables import services as rs

    first = day.replace(day=1)
    prev = (first - timedelta(days=1)).replace(day=1)
    out = rs.compile_month(month=prev, now=when, by=demo.staff["coord1"])
    demo.count("statements", len(out["compiled"]))
    demo.plan(when + timedelta(days=1), statement_steps, out["compiled"], "review")


def statement_steps(demo, when, ids, step) -> None:
    from receivables import services as rs
    from receivables.models import MonthlyStatement

    rows = list(MonthlyStatement.objects.filter(pk__in=ids).order_by("pk"))
    nxt = None
    for i, stmt in enumerate(rows):
        if step == "review":
            rs.review_statement(statement=stmt, by=demo.staff["manager"], now=when)
            nxt = "check"
        elif step == "check":
            rs.check_statement(statement=stmt, by=demo.staff["finance"], now=when)
            nxt = "send"
        elif step == "send":
            rs.send_statement(statement=stmt, by=demo.staff["finance"], now=when)
            nxt = "pay"
        elif step == "pay":
            stmt.refresh_from_db()
            if i % 4 == 3:
                continue  # one key account has not paid yet
            amount = stmt.amount - stmt.received_amount
            if i % 4 == 1:
                amount = (amount / 2).quantize(Decimal("0.01"))  # a partial payment
            if amount > 0:
                rs.record_payment(amount=amount, received_on=timezone.localtime(when).date(), by=demo.staff["finance"],
                                  now=when, statement=stmt, reference=f"对账单 {stmt.number} 回款")
                demo.count("payments")
    if nxt:
        demo.plan(when + timedelta(days=25 if nxt == "pay" else 1), statement_steps, ids, nxt)


# ------------------------------------------------------------------ what today's to-do lists show
def leave_open_items(demo) -> None:
    """A disputed charge for the salesperson (R-B9) and a fresh extension request for the manager (R-S4)."""
    from billing import services as bs
    from billing.models import VisitCharge
    from receivables import services as rs
    from receivables.models import SalesConfirmation

    now = demo.now
    charges = VisitCharge.objects.filter(client__kind="retail", total__gt=0, status="recorded").order_by("-recorded_at")
    recent = charges.first()
    if recent is not None:
        bs.mark_disputed(visit_charge=recent, by=demo.staff["coord1"], reason="客户来电:认为上门费不应收取", now=now - _m(50))
        demo.count("disputes")
    older = charges.filter(recorded_at__lt=now - timedelta(days=20)).first()
    if older is not None:
        bs.mark_disputed(visit_charge=older, by=demo.staff["coord2"], reason="客户认为配件价格偏高", now=older.recorded_at + timedelta(days=1))
        bs.decide_dispute(visit_charge=older, decision="charge", reason="已向客户解释配件价格,客户同意付款",
                          by=demo.staff["sales"], now=older.recorded_at + timedelta(days=2))
        demo.count("disputes")
    confs = list(
        SalesConfirmation.objects.live().filter(client_kind="retail", is_open=True, payment_terms="working_days")
        .filter(extensions__isnull=True).order_by("-sold_on")[:2]
    )
    for n, conf in enumerate(confs):
        ext = rs.request_extension(confirmation=conf, requested_due_date=conf.due_date + timedelta(days=15),
                                   reason="客户书面申请:等待上级拨款后付款", by=conf.technician, now=now - _m(90 - 40 * n))
        if n == 1:  # the manager agreed; the GM office has yet to decide
            rs.approve_extension(extension=ext, by=demo.staff["manager"], now=now - _m(20), note="同意,请总经办审批")
        demo.count("extension requests")
