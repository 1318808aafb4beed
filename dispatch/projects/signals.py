"""Domain events of team projects: dispatch tells higher apps that something happened, without importing them.

Each signal is sent with `Signal.send` (not `send_robust`) inside the transaction of the service that causes it:
a receiver's exception propagates and rolls the whole service back, and what a receiver writes commits with it.
Receivers connect in their own app's `AppConfig.ready()` with a `dispatch_uid`.
"""
from django.dispatch import Signal

# R-M5..R-M8: the manager confirmed a project complete (the row is saved as completed, still locked).
# Bonuses splits the pool into the people's shares (R-M6/R-M7) with the late-documents deduction (R-M8) and writes
# them as ProjectShare rows in the same transaction.
# kwargs: project (Project), pool (dispatch.projects.rules.Pool when a project bonus is paid; None for team
#         service, R-M5, or when a condition of R-M6 is unmet), on (date whose parameters apply: the completion day).
project_completed = Signal()
