"""The one router of the API (every app's `api_urls.py`): a record's id in a URL is digits, so `/api/…/abc/`
matches no route and answers 404 (JSON, `servicedesk.api_errors.not_found`) instead of reaching a view that
would hand "abc" to an integer column (a 500 on PostgreSQL). A viewset with another key declares its own
`lookup_value_regex`.

    router = Router()                 # an app's routes
    router = Router(root=True)        # the core's: also the browsable root at /api/
"""
from rest_framework.routers import DefaultRouter

ID_REGEX = "[0-9]+"


class Router(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False

    def __init__(self, *, root: bool = False, **kwargs):
        super().__init__(**kwargs)
        # only the core's router draws /api/ itself (and the `.json` suffixes it always had)
        self.include_root_view = root
        self.include_format_suffixes = root

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        lookup_value = getattr(viewset, "lookup_value_regex", ID_REGEX)
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})"
