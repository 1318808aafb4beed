"""Forms of the core pages. Validation messages name the field (rule 5)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ParameterKind


class ScheduleParameterForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label=_("新取值"), max_length=2000)
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("变更原因"), max_length=200)

    def __init__(self, *args, kind: str = ParameterKind.DECIMAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_value(self):
        import json
        from decimal import Decimal, InvalidOperation

        raw = self.cleaned_data["value"].strip()
        if self.kind == ParameterKind.DECIMAL:
            try:
                Decimal(raw)
            except InvalidOperation:
                raise forms.ValidationError(_("请输入数字,如 1.25。"))
            return raw
        if self.kind == ParameterKind.INTEGER:
            if not raw.lstrip("-").isdigit():
                raise forms.ValidationError(_("请输入整数。"))
            return int(raw)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("表格参数须为 JSON:%(err)s") % {"err": exc})
        return value


class CalendarUploadForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    dates_file = forms.FileField(label=_("日期表文件 (CSV/TXT)"), required=False)
    dates_text = forms.CharField(
        label=_("或直接粘贴"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2027-01-01,休,元旦\n2027-02-07,班,春节调休"}),
        help_text=_("每行一个日期:日期,类型,名称。类型为“休”(节假日) 或“班”(调休上班)。未列出的日期按周一至周五上班、周末休息。"),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("dates_file")
        text = data.get("dates_text") or ""
        if upload:
            raw = upload.read()
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise forms.ValidationError({"dates_file": _("无法识别文件编码,请保存为 UTF-8 或 GBK。")})
        data["text"] = text
        return data
