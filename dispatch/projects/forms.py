"""Forms of the project pages: they parse input; services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.validators import FREE_TEXT_MAX_LENGTH
from servicedesk.models import Client, Site, Staff
from servicedesk.forms import UserTextCheckboxes, UserTextSelect

from .choices import ProjectKind, Satisfaction

DATE = forms.DateInput(attrs={"type": "date"})


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=120, required=False)
    client = forms.ModelChoiceField(Client.objects.all(), label=_("客户"), required=False, widget=UserTextSelect)
    site = forms.ModelChoiceField(Site.objects.select_related("client"), label=_("网点"), required=False, widget=UserTextSelect)
    kind = forms.ChoiceField(label=_("项目类型"), choices=ProjectKind.choices)
    contract_amount = forms.CharField(label=_("合同金额(元,团队服务不填)"), required=False)
    manager = forms.ModelChoiceField(Staff.objects.active(), label=_("项目经理/组长"), required=False, widget=UserTextSelect)
    members = forms.ModelMultipleChoiceField(Staff.objects.active(), label=_("组员"), required=False,
                                             widget=UserTextCheckboxes)
    planned_start = forms.DateField(label=_("计划开始"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("计划结束"), required=False, widget=DATE)
    person_days = forms.IntegerField(label=_("预计人天"), required=False, min_value=0)
    documents_due = forms.DateField(label=_("资料截止日期"), required=False, widget=DATE)
    pool = forms.CharField(label=_("奖金池(仅 30 万以上维保类,由经理确定)"), required=False)
    work_order = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CompleteForm(forms.Form):
    contract_fulfilled = forms.NullBooleanField(label=_("合同已履行"), widget=forms.NullBooleanSelect)
    documents_complete_on = forms.DateField(label=_("资料齐全日期(空 = 不齐全)"), required=False, widget=DATE)
    client_satisfied = forms.NullBooleanField(label=_("客户满意"), widget=forms.NullBooleanSelect)


class SurveyForm(forms.Form):
    needs = forms.CharField(label=_("您的需求"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)
    staffing_timing = forms.CharField(label=_("人员与时间安排"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)
    work_done = forms.CharField(label=_("完成的工作"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)
    summary = forms.CharField(label=_("总体评价"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    client_name = forms.CharField(label=_("填写人(可选)"), required=False, max_length=40)
