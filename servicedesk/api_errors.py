"""One mapping of domain and validation errors to API responses (shared/API.md error shapes)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
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
    elif isinstance(exc, DjangoPermissionDenied):
        from rest_framework.exceptions import PermissionDenied

        exc = PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(response.data, dict):
        if "non_field_errors" in response.data:
            response.data["detail"] = response.data.pop("non_field_errors")
    return response
