from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Question, Satisfaction

from servicedesk.validators import FREE_TEXT_MAX_LENGTH

YES_NO = [("yes", _("是")), ("no", _("否"))]


class CallForm(forms.Form):
    """R-K3: five questions as large yes/no buttons and the satisfaction scale."""

    badge = forms.ChoiceField(label=Question.BADGE.label, choices=YES_NO, widget=forms.RadioSelect)
    explained = forms.ChoiceField(label=Question.EXPLAINED.label, choices=YES_NO, widget=forms.RadioSelect)
    cleaned = forms.ChoiceField(label=Question.CLEANED.label, choices=YES_NO, widget=forms.RadioSelect)
    signed = forms.ChoiceField(label=Question.SIGNED.label, choices=YES_NO, widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    complaint = forms.CharField(label=_("客户意见/投诉(客户原话)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT_MAX_LENGTH)

    def __init__(self, *args, client_rated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if client_rated:  # R-K3: the client already rated the visit from their own page; the call may keep it
            self.fields["satisfaction"].required = False

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        for q in Question.values:
            data[q] = data[q] == "yes"
        return data


class ResolutionForm(forms.Form):
    resolution = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=FREE_TEXT_MAX_LENGTH)
