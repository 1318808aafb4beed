"""How long a page session lasts, and "sign out everywhere".

Logging in is the dearest request there is (a deliberately slow password hash: ~60 ms of CPU with production's
Argon2id, servicedesk/hashers.py), and typing a password on a phone at every client is worse, so a technician's
phone stays signed in for a working week instead of logging in per task:

- Field staff (every role they hold is technician or team lead) get a sliding session: it expires
  TECHNICIAN_SESSION_AGE (7 days) after the last request, the expiry being pushed forward at most once per
  SESSION_REFRESH_INTERVAL (an hour) so a busy phone does not write its session on every request.
- Everybody else keeps Django's behaviour (SESSION_COOKIE_AGE, two weeks from the last time the session
  changed): a desk role's powers are not left on a phone for a week of inactivity.
- Revocable: `services.sign_out_everywhere` stamps Staff.sessions_revoked_at; a session signed in before that
  moment is logged out on its next request (`SessionPolicyMiddleware`), and the person's API tokens are deleted.
"""
from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone

SIGNED_IN_AT = "servicedesk_signed_in_at"  # epoch seconds of the login (compared with sessions_revoked_at)
SLIDING = "servicedesk_sliding"  # this session slides (field staff)
REFRESHED_AT = "servicedesk_refreshed_at"  # epoch seconds of the last push of the expiry

FIELD_ROLES = {"technician", "team_lead"}


def slides(staff) -> bool:
    """Field staff only: someone who also holds a desk role (manager, finance, …) keeps the default session."""
    if staff is None or staff.user.is_superuser:
        return False
    roles = set(staff.roles)
    return bool(roles) and roles <= FIELD_ROLES


def start_session(sender, request, user, **kwargs):
    """user_logged_in: stamp the login time; a field person's session slides for a week."""
    session = getattr(request, "session", None)
    if session is None:
        return
    from ..permissions import staff_of

    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    if slides(staff_of(user)):
        session[SLIDING] = True
        session[REFRESHED_AT] = now
        session.set_expiry(settings.TECHNICIAN_SESSION_AGE)
    else:
        session.pop(SLIDING, None)


def revoked(session, staff) -> bool:
    """Was this session signed in before the person's last "sign out everywhere"? (A session from before the
    stamp existed counts as signed in at the epoch: it is ended too.)"""
    if staff is None or staff.sessions_revoked_at is None:
        return False
    return session.get(SIGNED_IN_AT, 0) < staff.sessions_revoked_at.timestamp()


class SessionPolicyMiddleware:
    """After AuthenticationMiddleware: ends a revoked session, slides a field person's expiry (at most hourly).
    Anonymous requests are not touched (no user is loaded for them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            from ..permissions import staff_of

            if revoked(session, staff_of(request.user)):
                logout(request)  # flushes the session; the page then asks to log in again
            elif session.get(SLIDING):
                now = timezone.now().timestamp()
                if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_INTERVAL:
                    session[REFRESHED_AT] = now  # a change: the session is saved, its cookie re-sent with the new expiry
                    session.set_expiry(settings.TECHNICIAN_SESSION_AGE)
        return self.get_response(request)


def signed_in_at(session) -> datetime | None:
    stamp = session.get(SIGNED_IN_AT)
    return datetime.fromtimestamp(stamp, tz=dt_timezone.utc) if stamp else None
