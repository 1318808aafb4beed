"""Request guards that hold for every page and API call."""
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    """A NUL character (`?status=%00`) in a query-string name or value is refused with a 400 naming the parameter:
    PostgreSQL cannot hold NUL in a text value, so it would otherwise reach a filter and end in a 500. The API
    answers in its error shape (`{"status": ["…"], "code": "nul_character"}`, servicedesk.api_errors), a page
    with a short page saying which parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            name = self._offending(request)
            if name is not None:
                return self._refuse(request, name)
        return self.get_response(request)

    @staticmethod
    def _offending(request) -> str | None:
        if "\x00" in request.path:
            return "path"
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return key.replace("\x00", "") or "query"
        return None

    @staticmethod
    def _refuse(request, name: str):
        message = _("%(field)s:不能包含空字符(NUL)。") % {"field": name}
        if request.path.startswith("/api/"):
            return JsonResponse({name: [message], "code": "nul_character"}, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(f"<!doctype html><title>400</title><p>{escape(message)}</p>")
