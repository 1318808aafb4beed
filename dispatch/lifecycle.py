"""R-W3 as data: which action may move a work order from which status to which.

Two flows share the `WorkOrder.status` field:
- on-site visits (mobile / resident / team): new → dispatched → accepted → contacted → en route → on site
  → resolved → closed;
- carry-in repairs (channel 送修): received → diagnosing → (awaiting consent) → repairing → testing
  → ready for return → returned.
`cancel` is allowed from every open status. `to=None` keeps the status (reassigning or handing over a
carry-in repair does not move the device).

Decisions recorded here:
- a dispatch may be changed (reassigned) until the technician has set off; afterwards the holder hands over (R-W11);
- a hand-over of an on-site visit puts it back to "accepted": the team lead calls the client and sets off again;
- a resident technician (R-W5) may go straight from accepted/contacted to on site (no travel);
- a client who declines a carry-in repair gets the device back unrepaired (awaiting consent → ready for return).
"""
from dataclasses import dataclass

from servicedesk.choices import OPEN_STATUSES, Channel, ServiceMode
from servicedesk.choices import WorkOrderStatus as S

# Who performs an action: the coordinator's desk (coordinator, manager) or the work order's holder.
DESK = "desk"
HOLDER = "holder"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    to: str | None  # None = status unchanged
    actor: str
    carry_in: bool | None = False  # True: carry-in only; False: on-site only; None: both
    modes: frozenset | None = None  # service modes (None = all)


def _t(action, sources, to, actor, carry_in=False, modes=None):
    return Transition(action, frozenset(sources), to, actor, carry_in, frozenset(modes) if modes else None)


ON_SITE_REASSIGNABLE = {S.DISPATCHED, S.ACCEPTED, S.CONTACTED}
CARRY_IN_WORKING = {S.RECEIVED, S.DIAGNOSING, S.AWAITING_CONSENT, S.REPAIRING, S.TESTING}
ON_SITE_HELD = {S.DISPATCHED, S.ACCEPTED, S.CONTACTED, S.EN_ROUTE, S.ON_SITE}

TRANSITIONS: tuple[Transition, ...] = (
    # on-site visits
    _t("dispatch", {S.NEW}, S.DISPATCHED, DESK),
    _t("dispatch", ON_SITE_REASSIGNABLE, S.DISPATCHED, DESK),  # reassign (改派)
    _t("accept", {S.DISPATCHED}, S.ACCEPTED, HOLDER),
    _t("refuse", {S.DISPATCHED, S.ACCEPTED}, S.NEW, HOLDER),
    _t("contact", {S.ACCEPTED}, S.CONTACTED, HOLDER),
    _t("depart", {S.CONTACTED}, S.EN_ROUTE, HOLDER),
    _t("arrive", {S.EN_ROUTE}, S.ON_SITE, HOLDER),
    _t("arrive", {S.ACCEPTED, S.CONTACTED}, S.ON_SITE, HOLDER, modes={ServiceMode.RESIDENT}),
    _t("resolve", {S.ON_SITE}, S.RESOLVED, HOLDER),
    _t("handover", ON_SITE_HELD, S.ACCEPTED, HOLDER),
    _t("close", {S.RESOLVED}, S.CLOSED, DESK),
    # carry-in repairs (R-W12, R-W13)
    _t("dispatch", {S.NEW}, S.RECEIVED, DESK, carry_in=True),
    _t("dispatch", CARRY_IN_WORKING, None, DESK, carry_in=True),
    _t("refuse", {S.RECEIVED}, S.NEW, HOLDER, carry_in=True),
    _t("diagnose", {S.RECEIVED}, S.DIAGNOSING, HOLDER, carry_in=True),
    _t("ask_consent", {S.DIAGNOSING}, S.AWAITING_CONSENT, HOLDER, carry_in=True),
    _t("record_consent", {S.AWAITING_CONSENT}, S.REPAIRING, HOLDER, carry_in=True),  # client says continue
    _t("record_decline", {S.AWAITING_CONSENT}, S.READY_FOR_RETURN, HOLDER, carry_in=True),  # client says stop
    _t("start_repair", {S.DIAGNOSING}, S.REPAIRING, HOLDER, carry_in=True),
    _t("start_testing", {S.REPAIRING}, S.TESTING, HOLDER, carry_in=True),
    _t("finish_testing", {S.TESTING}, S.READY_FOR_RETURN, HOLDER, carry_in=True),
    _t("return_device", {S.READY_FOR_RETURN}, S.RETURNED, DESK, carry_in=True),
    _t("handover", CARRY_IN_WORKING, None, HOLDER, carry_in=True),
    # both flows
    _t("cancel", OPEN_STATUSES, S.CANCELLED, DESK, carry_in=None),
)

ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))


def is_carry_in(work_order) -> bool:
    return work_order.channel == Channel.CARRY_IN


def find_transition(work_order, action: str) -> Transition | None:
    carry_in = is_carry_in(work_order)
    for t in TRANSITIONS:
        if t.action != action or work_order.status not in t.sources:
            continue
        if t.carry_in is not None and t.carry_in != carry_in:
            continue
        if t.modes is not None and work_order.service_mode not in t.modes:
            continue
        return t
    return None


def can(work_order, action: str) -> bool:
    return find_transition(work_order, action) is not None


def next_actions(work_order, *, actor: str | None = None) -> list[str]:
    """Legal actions from the current status, in table order (the phone shows the holder's ones as big buttons)."""
    out = []
    for action in ACTIONS:
        t = find_transition(work_order, action)
        if t and (actor is None or t.actor == actor) and action not in out:
            out.append(action)
    return out


def actor_of(action: str) -> str:
    return next(t.actor for t in TRANSITIONS if t.action == action)


# can_<action>(work_order) helpers (Saleor style).
def _make_can(action):
    def fn(work_order) -> bool:
        return can(work_order, action)

    fn.__name__ = f"can_{action}"
    fn.__doc__ = f"Whether `{action}` is legal from the work order's current status (R-W3)."
    return fn


for _action in ACTIONS:
    globals()[f"can_{_action}"] = _make_can(_action)

__all__ = ["ACTIONS", "TRANSITIONS", "Transition", "actor_of", "can", "find_transition", "is_carry_in", "next_actions"] + [
    f"can_{a}" for a in ACTIONS
]
