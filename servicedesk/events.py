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

# Something a client hears about (issue §1 of the outgoing messages): a higher app (dispatch, callbacks,
# receivables) sends it inside the transaction of the service that causes it; `messaging` writes the outbox rows
# for the client's contacts in that same transaction, so the message commits or rolls back with the event.
# kwargs:
#   kind      — the message's template key (see messaging/catalogue.py): "dispatched", "on_the_way", "done",
#               "callback_scheduled", "statement_sent", "payment_received", "extension_approved"
#   client    — servicedesk.Client; site — servicedesk.Site or None (contacts of that site and client-wide ones)
#   event_key — unique per event ("dispatched:assignment=12"): with the contact it is the idempotency key
#   params    — the message's parameters, JSON-safe or wrapped as servicedesk.texts does (Date, Money, lazy labels)
#   links     — {link kind: keyword arguments} for messaging.links.url ("rating", "service_form", "statement")
#   now       — aware datetime
client_event = Signal()

# Alerts were written for staff (servicedesk.notifications.notify_many, inside its transaction); `messaging` sends
# the ones the person wants on their chosen channel (WeCom, DingTalk, SMS) besides the in-app alert and e-mail.
# kwargs: notifications (list of the Notification rows just created), now (aware datetime).
staff_alerted = Signal()
