"""The reader's language (rule 7): a person's preferred language, applied where this browser has not picked one.

Order, for a page: the language picked in this browser (Django's language cookie) → the signed-in person's
preferred language (Staff.language) → Django's LocaleMiddleware (Accept-Language, then LANGUAGE_CODE) for
everybody else. Picking a language while signed in also saves it as the person's preference, so their
e-mails and exports follow it.
"""
from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

__all__ = ["PreferredLanguageMiddleware", "language_of", "remember_on_login", "set_language"]

SESSION_KEY = "servicedesk_language"


def language_of(staff) -> str:
    """The language `staff` reads in (their e-mails, their exports): their preference, or the site's default."""
    language = getattr(staff, "language", "") or settings.LANGUAGE_CODE
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def _preference(request, user=None) -> str | None:
    """The signed-in person's preferred language, read once per session (a change made elsewhere — the admin,
    the staff API — applies from their next sign-in or pick)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    cached = session.get(SESSION_KEY) if session is not None else None
    if cached:
        return cached
    from .models import Staff

    language = Staff.objects.filter(user=user).values_list("language", flat=True).first()
    if language and session is not None:
        session[SESSION_KEY] = language
    return language


class PreferredLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in person whose browser has picked no language reads in their
    preferred one. The picker's cookie and, for anonymous visitors, LocaleMiddleware decide otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = _preference(request)
            if language and translation.check_for_language(language):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def remember_on_login(sender, request, user, **kwargs):
    """user_logged_in: the session remembers the person's preferred language (one query per sign-in)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    _preference(request, user)  # request.user may not be set yet (a test client's sign-in)


def set_language(request):
    """Django's language picker; for a signed-in person the choice is also saved as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    user = getattr(request, "user", None)
    if language and translation.check_for_language(language) and user is not None and user.is_authenticated:
        from .models import Staff
        from .services import set_preferred_language

        staff = Staff.objects.filter(user=user).first()
        if staff is not None:
            set_preferred_language(staff=staff, language=language)
            request.session[SESSION_KEY] = staff.language
    return response
