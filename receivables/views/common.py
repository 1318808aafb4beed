"""Small helpers of the receivables pages."""
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from servicedesk.months import parse_day

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_date(raw) -> date | None:
    """A typed day, or None when it is none or outside the years the product works with (servicedesk.months)."""
    return parse_day(raw)


def as_of_param(request) -> date:
    return parse_date(request.GET.get("as_of", "")) or timezone.localdate()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
