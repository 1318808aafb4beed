"""`makemessages` that also finds the message ids written as `N_("…")` (rule 7) and lazy labels written `_l("…")`.

A sentence the product stores is written `message(N_("…"), …)` with `from django.utils.translation import
gettext_noop as N_` (servicedesk.texts), and a module that needs both gettext and gettext_lazy imports the latter
as `_l`: xgettext only knows the keywords it is told, so `N_` and `_l` are among them here."""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_", "--keyword=_l"]
