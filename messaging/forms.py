from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import ChannelKind, OutboxState, StaffChannelChoice


class TemplateForm(forms.Form):
    text_zh = forms.CharField(label=_("中文内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("留空 = 默认内容"))
    text_en = forms.CharField(label=_("英文内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("留空 = 默认内容"))


class StaffChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("提醒渠道"), choices=StaffChannelChoice.choices)


class ContactChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=ChannelKind.choices)
    address = forms.CharField(label=_("收件地址"), required=False, max_length=200, help_text=_("留空 = 联系人的电话"))
    language = forms.ChoiceField(label=_("语言"), choices=settings.LANGUAGES)
    opted_out = forms.BooleanField(label=_("已退订"), required=False)


class OutboxFilter(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + OutboxState.choices)
