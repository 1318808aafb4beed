"""Bounded screens (docs/developers.md rule 8): every list page shows one page of rows plus counts.

`page_of(request, queryset)` → a Django Page of at most `per_page` rows (2 queries: COUNT and the slice),
whatever the number of rows; `templates/_pager.html` draws the links, keeping the other query parameters.
A page with two lists pages each with its own query parameter (`param="plans_page"`; the include takes
`param=` too).
"""
from django.core.paginator import Page, Paginator

PER_PAGE = 25  # a screenful on a desk; with 10 000 rows the page costs < 2 × what it costs with 10 (bench/pages_10k.py)


def page_of(request, queryset, *, per_page: int = PER_PAGE, param: str = "page") -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def query_without_page(request, param: str = "page") -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


def page_of_rows(request, queryset, *, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """`page_of` for a wide, joined queryset: the page's primary keys are found first (the database sorts only the
    ordering columns and the keys, not every joined column of every matching row), then the page's rows are read
    by key, in order, with the queryset's select_related / prefetch_related / annotations."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(request.GET.get(param))
    ids = list(page.object_list)
    rows = queryset.order_by().in_bulk(ids) if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
