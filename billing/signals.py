"""Domain events of billing: billing tells higher apps that something happened, without importing them.

Each signal is sent with `Signal.send` (not `send_robust`) inside the transaction of the service that causes it:
a receiver's exception propagates and rolls the whole decision back, and what a receiver writes commits with it.
Receivers connect in their own app's `AppConfig.ready()` with a `dispatch_uid`.
"""
from django.dispatch import Signal

# R-B9 / R-B6 / R-B7: a charge decision was recorded (a disputed charge charged or waived, or a repair plan agreed
# as charged or waived by the client's salesperson or the department head). R-S1: receivables makes the visit's
# sales confirmation follow the newly billed total.
# kwargs: work_order (WorkOrder), decision (the ChargeDecision row), rule (str, e.g. "R-B9"), reason (str),
#         by (Staff), now (aware datetime), source (dict: what the correction's history records as its cause).
charge_decided = Signal()
