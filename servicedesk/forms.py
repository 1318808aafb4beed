"""Forms of the core pages, and the one mapping of a refused write onto a page (a form's errors or a message).
Validation messages name the field (rule 4)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import ParameterKind
from .errors import DomainError


def error_text(exc) -> str:
    """The words of a refused write, for a page message: a DomainError's message, a ValidationError's messages
    joined, a PermissionDenied's reason (or "无权操作。" when it gives none)."""
    if isinstance(exc, ValidationError):
        return ";".join(str(m) for m in exc.messages)
    return str(getattr(exc, "message", "") or exc) or str(_("无权操作。"))


def apply_domain_error(form, exc) -> None:
    """Put a refused write on the form it came from (rule 4: the error names the field): a DomainError on its
    field when the form has that field, else on the form; a ValidationError naming fields field by field (the
    unknown ones on the form); anything else — PermissionDenied, a ValidationError without fields — on the form,
    in words (error_text)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    else:
        form.add_error(None, error_text(exc))


class ScheduleParameterForm(forms.Form):
    """A new version of one rule parameter. Scalars post `value`; tables post one input per cell
    (`value__min`, `value__2__pool`, see param_specs.value_from_post) — no JSON to type.
    Type, range and unit come from servicedesk.param_specs; errors name the parameter and the cell."""

    name = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label=_("新取值"), max_length=2000, required=False)
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("变更原因"), max_length=200)

    def __init__(self, *args, kind: str = ParameterKind.DECIMAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.error_cell = None  # the input that holds the error ("value", "value__min", …)
        self.posted_value = None  # the raw table/scalar rebuilt from the inputs, to re-show

    def clean(self):
        from .param_specs import ParameterValueError, spec_for, validate, value_from_post

        data = super().clean()
        name = data.get("name") or self.data.get("name", "")
        spec = spec_for(name, self.kind)
        try:
            raw = value_from_post(spec, self.data)
            self.posted_value = raw
            data["value"] = validate(name, raw, kind=self.kind)
        except ParameterValueError as exc:
            self.error_cell = exc.cell
            self.add_error("value", str(exc.message))
        return data


class CalendarUploadForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2004, max_value=2099)
    dates_file = forms.FileField(label=_("日期表文件 (CSV/TXT)"), required=False)
    dates_text = forms.CharField(
        label=_("或直接粘贴"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("2027-01-01,休,元旦\n2027-02-07,班,春节调休")}),
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


class UserTextOptions:
    """The options of a choice of records (clients, sites, people, equipment) name them as people typed them:
    each option is marked `data-user-text` (rule 7; the English page scan, tests/test_english_pages.py, reads
    everything else). The empty choice ("---------") is the product's own and stays unmarked."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value not in ("", None):
            option["attrs"]["data-user-text"] = True
        return option


class UserTextSelect(UserTextOptions, forms.Select):
    pass


class UserTextSelectMultiple(UserTextOptions, forms.SelectMultiple):
    pass


class UserTextCheckboxes(UserTextOptions, forms.CheckboxSelectMultiple):
    """Checkboxes: the mark is on the label (the box itself has no text)."""

    option_template_name = "servicedesk/widgets/user_text_checkbox_option.html"
