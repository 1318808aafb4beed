"""The token and logout endpoints (lockout, expiry, revocation on logout): see servicedesk/auth/__init__.py."""
from django.conf import settings
from django.contrib.auth import logout as django_logout
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from axes.handlers.proxy import AxesProxyHandler

from ..api_errors import ErrorSerializer
from . import (
    AnonThrottle, LoginThrottle, deactivated_credentials, deactivated_message, issue_token, lockout_message, revoke_tokens,
)


class Locked(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"} (API reference /api/docs/). Refused while the username is locked
    out (django-axes, AXES_FAILURE_LIMIT failures from the same address); throttled per address
    (servicedesk.network.client_ip); 503 "try again later" while the shared cache that counts the attempts is down."""

    throttle_classes = [AnonThrottle, LoginThrottle]
    throttle_scope = "login"

    def initial(self, request, *args, **kwargs):
        # the lockout is checked before the throttle so a locked account always hears why
        if settings.AXES_ENABLED:
            data = request.data if hasattr(request.data, "get") else {}
            username = str(data.get("username", ""))[:150]
            credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
            # a NUL is never in a username (the serializer refuses it) and PostgreSQL text cannot hold one
            if "\x00" not in username and AxesProxyHandler.is_locked(request._request, credentials):
                raise Locked({"detail": lockout_message(), "code": "locked_out"})
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("用户名或密码错误")),
            403: OpenApiResponse(ErrorSerializer, description=gettext_lazy("登录失败次数过多,已锁定")),
            429: OpenApiResponse(ErrorSerializer, description=gettext_lazy("请求过于频繁")),
            503: OpenApiResponse(ErrorSerializer, description=gettext_lazy("暂时无法登录,请稍后再试。")),
        },
        operation_id="auth_token",
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request._request})
        if not serializer.is_valid():
            if settings.AXES_ENABLED and getattr(request._request, "axes_locked_out", False):
                raise Locked({"detail": lockout_message(), "code": "locked_out"})
            data = request.data if hasattr(request.data, "get") else {}
            if deactivated_credentials(str(data.get("username", ""))[:150], str(data.get("password", ""))):
                raise exceptions.ValidationError({"non_field_errors": [deactivated_message()]})
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # what a page login sends: axes resets the failure count (AXES_RESET_ON_SUCCESS), last_login is set
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": issue_token(user=user).key})


class LogoutView(APIView):
    """POST /api/auth/logout/: revoke the caller's API token and end the session."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer, 403: ErrorSerializer}, operation_id="auth_logout", tags=["auth"])
    def post(self, request):
        revoke_tokens(user=request.user)
        if request.session is not None and request.session.session_key:
            django_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


