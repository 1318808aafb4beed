"""Domain events of the core: a lower app tells higher ones that something happened, without importing them.

Each signal is sent inside the transaction of the service that causes it, so what a receiver writes commits or
rolls back with the event. Receivers connect in their own app's `AppConfig.ready()`.
"""
from django.dispatch import Signal

# SPEC §11: an official calendar year was loaded (typed, uploaded or from the package), replacing whatever was
# there — possibly a provisional year. Receivers recompute their open due dates that were computed provisionally,
# record the move with history and tell the people concerned.
# kwargs: year (int), user (the User who loaded it, or None for the beat), now (aware datetime).
calendar_year_loaded = Signal()
