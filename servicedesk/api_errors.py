"""One mapping of domain and validation errors to API responses (the error shapes of the API reference, /api/docs/)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {("detail" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        else:
            data = {"detail": exc.messages if len(exc.messages) > 1 else exc.messages[0]}
        exc = ValidationError(data)
    elif isinstance(exc, DomainError):
        body = {exc.field: [str(exc.message)]} if exc.field else {"detail": str(exc.message)}
        body["code"] = exc.code
        return Response(body, status=exc.status_code)
    elif isinstance(exc, OverflowError):
        # a date or number too large for the column: the input's fault, so a 400 naming it, never a 500 (rule 4)
        from django.utils.translation import gettext as _

        return Response({"detail": _("输入的数值或日期超出范围。"), "code": "overflow"}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoPermissionDenied):
        from rest_framework.exceptions import PermissionDenied

        # the one place a service's PermissionDenied becomes a 403 (rule 6), keeping its translated reason:
        # API views call the services directly, with no wrapper of their own
        exc = PermissionDenied(str(exc) if str(exc) else None)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(response.data, dict):
        if "non_field_errors" in response.data:
            response.data["detail"] = response.data.pop("non_field_errors")
    return response


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
class MessagesField(serializers.JSONField):
    """A message or a list of messages."""


class ErrorSerializer(serializers.Serializer):
    """Every error body (shared/API.md): `{"detail": "…", "code": "…"}` for non-field errors, or
    `{"<field>": ["message", …], "code": "…"}` naming the inputs; `detail` may be a list of messages."""

    detail = MessagesField(required=False)
    code = serializers.CharField(required=False)


# --------------------------------------------------------------------------- Django's own error pages under /api/
# A request Django answers before any API view does (no route: `/api/projects/abc/`; an unexpected exception; a
# refused request) is answered in the API's error shape, JSON, under /api/; the pages keep their HTML pages.

def is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json_error(detail, code: str, status_code: int):
    from django.http import JsonResponse

    return JsonResponse({"detail": str(detail), "code": code}, status=status_code, json_dumps_params={"ensure_ascii": False})


def not_found(request, exception=None):
    from django.views import defaults
    from rest_framework.exceptions import NotFound

    # DRF's own messages (translated by DRF's catalogue): the same words as a view's 404/403/400/500
    if is_api(request):
        return _json_error(NotFound.default_detail, NotFound.default_code, 404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    from django.views import defaults
    from rest_framework.exceptions import ParseError

    if is_api(request):
        return _json_error(ParseError.default_detail, "bad_request", 400)
    return defaults.bad_request(request, exception)


def forbidden(request, exception=None):
    from django.views import defaults
    from rest_framework.exceptions import PermissionDenied

    if is_api(request):
        return _json_error(PermissionDenied.default_detail, PermissionDenied.default_code, 403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    from django.views import defaults
    from rest_framework.exceptions import APIException

    if is_api(request):
        return _json_error(APIException.default_detail, "server_error", 500)
    return defaults.server_error(request)
