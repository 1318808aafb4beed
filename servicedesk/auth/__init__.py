"""Authentication hardening, so that a password cannot be guessed by trying and a leaked token does not live
forever: login lockout (django-axes) for the login page and the token endpoint, throttles, expiring API tokens,
and revocation on logout (API and page); settings in docs/deployment.md.

- `LockoutBackend`: axes' backend; `authenticate()` calls without a request (scripts, the test client's
  `login()`) are not counted — every HTTP login path passes the request.
- `ExpiringTokenAuthentication`: a token older than `API_TOKEN_TTL` is refused (and deleted).
- `views.TokenView`: POST /api/auth/token/ — refused with a translated message while locked out; an expired
  token is replaced by a fresh one.
- `views.LogoutView`: POST /api/auth/logout/ — deletes the caller's token (and ends the session).
- `user_logged_out` → the user's token is deleted on page logout too.
- `ActiveStaffBackend`: Django's model backend, except that a deactivated Staff profile cannot sign in and an
  open session of one is signed out at its next request (`permissions.account_active`, the one check; the token
  authentication applies it too). `LoginForm` says so in words instead of "wrong password".
"""
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from axes.backends import AxesStandaloneBackend

from ..cache import CacheUnavailable, get_strict, login_unavailable_message


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return _("登录失败次数过多,已暂时锁定。请 %(minutes)s 分钟后再试,或联系管理员解锁。") % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: JSON on the API, a page elsewhere; translated, HTTP 403."""
    from django.http import JsonResponse
    from django.shortcuts import render

    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=403)
    return render(request, "registration/locked_out.html", {"message": message}, status=403)


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# --------------------------------------------------------------------------- throttles
class _SettingsRate:
    """Rates read from settings at request time (API_THROTTLE_RATES), so they can be changed per test."""

    def get_rate(self):
        if not getattr(settings, "API_THROTTLE_ENABLED", True):
            return None
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


    def get_ident(self, request):
        # the client's address as the trusted proxies report it (TRUSTED_PROXIES), never a header anyone can send
        from ..network import client_ip

        return client_ip(request)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    pass


class LoginThrottle(_SettingsRate, ScopedRateThrottle):
    """Per client IP on the token endpoint (scope "login"). The one limit that fails closed: with the shared cache
    down the attempts cannot be counted, so the login is refused with "try again later" (LoginUnavailable)."""

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            self.history = get_strict(self.cache, self.key, [])
        except CacheUnavailable:
            raise LoginUnavailable() from None
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()


class LoginUnavailable(exceptions.APIException):
    """503: the login cannot be counted against its limits now (shared cache down)."""

    status_code = 503
    default_code = "login_unavailable"

    def __init__(self):
        super().__init__({"detail": login_unavailable_message(), "code": "login_unavailable"})


# --------------------------------------------------------------------------- tokens
class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token auth that refuses tokens older than settings.API_TOKEN_TTL."""

    def authenticate_credentials(self, key):
        from ..permissions import account_active

        user, token = super().authenticate_credentials(key)
        if not account_active(user):
            raise exceptions.AuthenticationFailed(deactivated_message())
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期,请重新获取。"))
        return user, token


def token_expired(token, now=None) -> bool:
    ttl = getattr(settings, "API_TOKEN_TTL", None)
    return bool(ttl) and token.created < (now or timezone.now()) - ttl


def issue_token(*, user, now=None) -> Token:
    """The user's API token: the one they hold, or a new one when it has expired (API_TOKEN_TTL)."""
    with transaction.atomic():
        token, created = Token.objects.select_for_update().get_or_create(user=user)
        if not created and token_expired(token, now):
            token.delete()
            token = Token.objects.create(user=user)
    return token


def revoke_tokens(*, user) -> None:
    """Logging out (page or API) ends the API token too."""
    Token.objects.filter(user=user).delete()


@receiver(user_logged_out, dispatch_uid="servicedesk.auth.revoke_token_on_logout")
def revoke_token_on_logout(sender, request, user, **kwargs):
    if user is not None:
        revoke_tokens(user=user)


# --------------------------------------------------------------------------- deactivated accounts
def deactivated_message() -> str:
    return _("该账号已停用,不能登录。如有疑问请联系管理员。")


class ActiveStaffBackend(ModelBackend):
    """Django's model backend with one more condition for signing in and for staying signed in: an active Staff
    profile (permissions.account_active). Deactivating a person signs them out of every page, the admin and
    every link at their next request."""

    def user_can_authenticate(self, user):
        from ..permissions import account_active

        return super().user_can_authenticate(user) and account_active(user)

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("staff").get(pk=user_id)  # the profile in the same query
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def deactivated_credentials(username: str, password: str) -> bool:
    """Are these the right credentials of a deactivated account? (to say why the login is refused)"""
    from ..permissions import account_active

    if not username or "\x00" in username:  # never a stored username (PostgreSQL text holds no NUL): nothing to look up
        return False
    User = get_user_model()
    user = User._default_manager.select_related("staff").filter(username=username).first()
    return bool(user is not None and password and not account_active(user) and user.check_password(password))


class LoginForm(AuthenticationForm):
    """The login page's form: a deactivated account hears that it is deactivated (not "wrong password")."""

    deactivated = False

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if deactivated_credentials(self.cleaned_data.get("username") or "", self.cleaned_data.get("password") or ""):
                self.deactivated = True
                raise forms.ValidationError(deactivated_message(), code="inactive") from None
            raise
