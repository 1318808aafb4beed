"""makemessages that also finds `N_("…")` (gettext_noop, the id of a stored message — servicedesk.texts, rule 7).

xgettext knows `gettext_noop` but not its short alias, so without this the ids of stored messages would be
missing from the catalogue and every reader would see them in Chinese.
"""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
