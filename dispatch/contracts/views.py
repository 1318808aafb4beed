"""Pages of maintenance contracts (thin): list, detail with the inspection schedule, registration."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import apply_domain_error
from servicedesk.models import Client, Equipment, Site
from servicedesk.permissions import require_role, staff_of
from servicedesk.forms import UserTextSelect, UserTextSelectMultiple

from . import selectors, services
from .choices import Frequency
from .models import MaintenanceContract

READERS = (Role.MANAGER, Role.COORDINATOR, Role.SUPERVISOR, Role.GM_OFFICE, Role.ADMIN, Role.FINANCE, Role.SALES)
DATE = forms.DateInput(attrs={"type": "date"})


class ContractForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("合同编号"), max_length=40, required=False)
    client = forms.ModelChoiceField(Client.objects.all(), label=gettext_lazy("客户"), required=False, widget=UserTextSelect)
    site = forms.ModelChoiceField(Site.objects.select_related("client"), label=gettext_lazy("网点"), required=False, widget=UserTextSelect)
    starts_on = forms.DateField(label=gettext_lazy("服务期开始"), required=False, widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("服务期结束"), required=False, widget=DATE)
    frequency = forms.ChoiceField(label=gettext_lazy("巡检周期"), choices=Frequency.choices, initial=Frequency.QUARTERLY)
    amount = forms.CharField(label=gettext_lazy("合同金额(元)"), required=False)
    equipment = forms.ModelMultipleChoiceField(Equipment.objects.select_related("client"), label=gettext_lazy("维保设备"), required=False, widget=UserTextSelectMultiple)


@login_required
def contract_list(request):
    require_role(request.user, *READERS)
    rows, total = selectors.contract_list()
    return render(request, "contracts/list.html", {"rows": rows, "total": total, "today": timezone.localdate(),
                                                   "can_create": staff_of(request.user) and staff_of(request.user).has_role(Role.MANAGER, Role.COORDINATOR)})


@login_required
def detail(request, pk):
    require_role(request.user, *READERS)
    try:
        contract = selectors.contract_detail(pk=pk)
    except MaintenanceContract.DoesNotExist:
        raise Http404 from None
    return render(request, "contracts/detail.html", {"contract": contract})


@login_required
def create(request):
    require_role(request.user, Role.MANAGER, Role.COORDINATOR)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(by=staff_of(request.user), now=timezone.now(), **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("维保合同已登记。"))
            return redirect("dispatch:contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form})
