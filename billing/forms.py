"""Forms of the billing pages. Validation messages name the field."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Decision

from servicedesk.validators import FREE_TEXT_MAX_LENGTH


class DisputeForm(forms.Form):
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("客户异议"), max_length=FREE_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices)
    reason = forms.CharField(label=_("理由"), max_length=FREE_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
