"""`makemessages` that also finds the message ids written as `N_("…")` (rule 7).

A sentence the product stores is written `message(N_("…"), …)` with `from django.utils.translation import
gettext_noop as N_` (servicedesk.texts): xgettext only knows the keywords it is told, so `N_` is one of them here,
like `gettext_noop` itself."""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
