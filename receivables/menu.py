"""Sales and receivables' pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("receivables:ledger", _("应收台账"), {Role.FINANCE, Role.MANAGER}),
    MenuEntry("receivables:payment_new", _("登记收款"), {Role.FINANCE}),
    MenuEntry("receivables:payments_import", _("收款导入"), {Role.FINANCE}),
    MenuEntry("receivables:import", _("期初应收导入"), {Role.FINANCE}),
    MenuEntry("receivables:statements", _("月结对账单"), {Role.FINANCE, Role.MANAGER, Role.COORDINATOR}),
    MenuEntry("receivables:register", _("送货联登记"), {Role.COORDINATOR}),
    MenuEntry("receivables:reconciliation", _("销售台账对账"), {Role.COORDINATOR}),
    MenuEntry("receivables:my_ledger", _("我的销售台账"), {Role.TECHNICIAN}),
    MenuEntry("receivables:overdue_review", _("逾期回款周审"), {Role.MANAGER}),
    MenuEntry("receivables:extensions", _("延期审批"), {Role.MANAGER, Role.GM_OFFICE}),
]
