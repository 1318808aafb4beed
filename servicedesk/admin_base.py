"""What every app's admin shares (apps import it from here; servicedesk is the base of the dependency chain).

One way to change each record (docs/developers.md rule 4): a model whose writes belong to a service is read-only in
the admin for everybody (`ReadOnlyAdmin`); the few models the admin may write (master data, staff profiles, rule
parameters) save through the very service the pages and the API use (`ServiceSavedAdmin`), so the admin can never
do what the service would refuse. tests/security/test_admin_roles.py checks every registered model × role."""
import re

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


# --- what the admin shows, in the reader's language (rule 7) -------------------------------------------------------
# The back office reads the same records as the pages, so it follows the same reading: a stored message (an
# explanation, a reason, a note) is rendered in the reader's language, an explanation's parameters read as
# sentences, a permission is named in the reader's words, and what people typed (names, clients, notes) is marked
# `data-user-text`, as the pages mark it (tests/test_english_pages.py reads the admin too).

SHOWN = "shown__"


def _user_text(value) -> str:
    from django.utils.html import format_html

    return format_html("<span data-user-text>{}</span>", value)


def permission_label(permission) -> str:
    """"Service charges | Charge line | Can view charge line" in the reader's language: the name Django stored at
    migrate time is in the language the migration ran in, so it is composed again from the model's verbose name
    and the permission's codename (a model's own permissions from its Meta, whose names are marked)."""
    from django.apps import apps
    from django.utils.translation import gettext as _

    ct = permission.content_type
    model = apps.get_model(ct.app_label, ct.model) if apps.is_installed(ct.app_label) else None
    if model is None:
        return str(permission)
    thing = model._meta.verbose_name
    action, _sep, rest = permission.codename.partition("_")
    defaults = {"add": _("可添加%(thing)s"), "change": _("可修改%(thing)s"), "delete": _("可删除%(thing)s"), "view": _("可查看%(thing)s")}
    if rest == model._meta.model_name and action in defaults:
        name = defaults[action] % {"thing": thing}
    else:
        declared = dict(model._meta.permissions)
        name = str(declared.get(permission.codename, permission.name))
    return f"{apps.get_app_config(ct.app_label).verbose_name} | {str(thing).capitalize()} | {name}"


def json_html(value):
    """A stored JSON structure for the back office: messages rendered, the strings in it (names, typed notes)
    marked as data, keys as stored (identifiers), and the parameters an explanation used as sentences."""
    from django.utils.html import conditional_escape, format_html, format_html_join
    from django.utils.safestring import mark_safe

    from .explain import param_sentences
    from .texts import _is_stored_message, is_text_message, render_html

    def walk(v):
        if _is_stored_message(v):
            return render_html(v)
        if isinstance(v, dict):
            return format_html("{{{}}}", mark_safe(", ".join(format_html("{}: {}", k, walk(x)) for k, x in v.items())))
        if isinstance(v, list):
            return format_html("[{}]", mark_safe(", ".join(str(walk(x)) for x in v)))
        if isinstance(v, str):
            return render_html(v) if is_text_message(v) else _user_text(v)
        return conditional_escape("—" if v is None else str(v))

    shown = format_html('<code class="stored-json">{}</code>', walk(value))
    sentences = param_sentences(value) if isinstance(value, (dict, list)) else []
    if sentences:
        shown = format_html("{}<ul>{}</ul>", shown, format_html_join("", "<li>{}</li>", ((s,) for s in sentences)))
    return shown


def shown_value(obj, field):
    """One field of a record as the back office shows it (see above); '-' for nothing."""
    from django.contrib.admin.utils import display_for_field
    from django.db import models
    from django.utils.html import conditional_escape, format_html_join

    from .texts import is_message, render_html

    if field.many_to_many:
        related = list(getattr(obj, field.name).all())
        if field.related_model._meta.label == "auth.Permission":
            return format_html_join(", ", "{}", ((permission_label(p),) for p in related)) or "-"
        return format_html_join(", ", "<span data-user-text>{}</span>", ((r,) for r in related)) or "-"
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "-"
    if field.choices:
        return conditional_escape(getattr(obj, f"get_{field.name}_display")())
    if field.is_relation:
        return _user_text(value)
    if isinstance(field, models.JSONField):
        return render_html(value) if is_message(value) else json_html(value)
    if isinstance(field, (models.CharField, models.TextField)):
        from .templatetags.texts import say_typed

        return say_typed(value)
    return display_for_field(value, field, "-")


def _shown_column(model, name):
    """A model field as a list column or a read-only field that shows it with `shown_value`."""
    field = model._meta.get_field(name)

    def column(obj):
        return shown_value(obj, field)

    column.short_description = field.verbose_name
    if field.concrete and not field.many_to_many:
        column.admin_order_field = name
    column.__name__ = SHOWN + name
    return column


def _is_text_like(model, name) -> bool:
    """Whether a field holds text (typed or stored) or names another record: shown through `shown_value`. Numbers,
    dates, switches and choices keep the admin's own display."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    if not isinstance(name, str):
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    if getattr(field, "auto_created", False) and not field.concrete:
        return False
    if field.is_relation:
        return field.many_to_many or field.many_to_one or field.one_to_one
    return isinstance(field, (models.CharField, models.TextField, models.JSONField)) and not field.choices


class ReadableAdmin:
    """Shows text fields, stored messages, explanations and related records as described above, in lists and in
    read-only fields (every field of a record the admin may only read)."""

    def __getattr__(self, name):
        if name.startswith(SHOWN):
            model = self.__dict__.get("model") or getattr(type(self), "model", None)
            if model is not None:
                return _shown_column(model, name[len(SHOWN):])
        raise AttributeError(name)

    def _shown(self, name):
        return SHOWN + name if _is_text_like(self.model, name) else name

    def get_list_display(self, request):
        def column(name):
            if name == "__str__":
                return _str_column(self.model)
            return getattr(self, SHOWN + name) if _is_text_like(self.model, name) else name

        return [column(name) for name in super().get_list_display(request)]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if links and self.list_display_links:
            by_name = {getattr(c, "__name__", c).removeprefix(SHOWN): c for c in list_display}
            return [by_name.get(n, n) for n in links]
        return links

    def _all_readonly(self, request, obj):
        # like Django's own change form: the add form is editable whenever adding is allowed
        if obj is None and not isinstance(self, admin.options.InlineModelAdmin):
            return not self.has_add_permission(request)
        return not self.has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        if self._all_readonly(request, obj):
            opts = self.model._meta
            names += [f.name for f in [*opts.fields, *opts.many_to_many] if not f.auto_created]
        return list(dict.fromkeys(self._shown(n) for n in names))

    def get_fieldsets(self, request, obj=None):
        readonly = set(super().get_readonly_fields(request, obj))
        everything = self._all_readonly(request, obj)
        out = []
        for label, options in super().get_fieldsets(request, obj):
            names = []
            for name in options.get("fields", ()):
                if isinstance(name, (list, tuple)):
                    names.append(tuple(self._shown(n) if everything or n in readonly else n for n in name))
                else:
                    names.append(self._shown(name) if everything or name in readonly else name)
            out.append((label, {**options, "fields": list(dict.fromkeys(names))}))
        return out

    def get_list_filter(self, request):
        """A filter on a text field or another record lists what people typed (areas, makes, clients): marked."""
        from django.contrib.admin.filters import AllValuesFieldListFilter, RelatedFieldListFilter
        from django.db import models

        def marked(name):
            if not isinstance(name, str) or not _is_text_like(self.model, name):
                return name
            field = self.model._meta.get_field(name)
            if isinstance(field, models.JSONField) or field.many_to_many:
                return name
            return (name, _marked_filter(RelatedFieldListFilter if field.is_relation else AllValuesFieldListFilter))

        return [marked(name) for name in super().get_list_filter(request)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field.widget, "create_option"):
            field.widget.__class__ = _marked_select(type(field.widget))
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model._meta.label == "auth.Permission":
            field.label_from_instance = permission_label
        elif field is not None and hasattr(field.widget, "create_option"):
            field.widget.__class__ = _marked_select(type(field.widget))
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models

        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.TextField) and not db_field.choices:
            field.widget.attrs.setdefault("data-user-text", "")  # what a person typed, shown as typed
        if isinstance(field, (forms.IntegerField, forms.DecimalField)) and not isinstance(field, forms.ChoiceField):
            field.__class__ = _plain_number(type(field))
        return field


_PLAIN_NUMBERS: dict = {}
_PLAIN_INTEGER = re.compile(r"-?[0-9]+")
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _plain_number(field_class):
    """A number field of the admin that takes plain ASCII digits only, as every other door does
    (servicedesk/quantities.py, servicedesk/money.py): Django's own fields pass "１００", "١٠٠" or "1_000" to int() /
    Decimal(), which accept them."""
    if field_class not in _PLAIN_NUMBERS:
        pattern = _PLAIN_DECIMAL if issubclass(field_class, forms.DecimalField) else _PLAIN_INTEGER

        class Plain(field_class):
            def to_python(self, value):
                if isinstance(value, str) and value.strip() and not pattern.fullmatch(value.strip()):
                    raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
                return super().to_python(value)

        Plain.__name__ = Plain.__qualname__ = f"Plain{field_class.__name__}"
        _PLAIN_NUMBERS[field_class] = Plain
    return _PLAIN_NUMBERS[field_class]


def _str_column(model):
    """The record's name (it names the people, clients or sites it concerns), marked as such."""
    def column(obj):
        return _user_text(obj)

    column.short_description = model._meta.verbose_name
    column.__name__ = SHOWN + "str"
    return column


_MARKED: dict = {}


def _marked_filter(filter_class):
    """A list filter whose values (what people typed) are marked; "All" and the empty value are the product's."""
    if filter_class not in _MARKED:
        class Marked(filter_class):
            def choices(self, changelist):
                for index, choice in enumerate(super().choices(changelist)):
                    if index and choice.get("display") not in (None, "", self.empty_value_display):
                        choice = {**choice, "display": _user_text(choice["display"])}
                    yield choice

        Marked.__name__ = filter_class.__name__
        _MARKED[filter_class] = Marked
    return _MARKED[filter_class]


def _marked_select(widget_class):
    """A select whose options (other records: clients, people) are marked as typed text, the empty choice not."""
    if widget_class not in _MARKED:
        class Marked(widget_class):
            def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
                option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
                if value not in (None, ""):
                    option["attrs"] = {**option["attrs"], "data-user-text": ""}
                return option

        Marked.__name__ = widget_class.__name__
        _MARKED[widget_class] = Marked
    return _MARKED[widget_class]


class NoDelete:
    """Never deleted in the admin (records are deactivated or corrected by new rows: rules 4 and 5 of the house)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadableAdmin, NoDelete, admin.ModelAdmin):
    """Records written only by the services (audit, history, workflow, compiled results): listed and read in the
    admin, never added, changed or deleted there (rules 4 and 5 of the house)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadableAdmin, admin.TabularInline):
    """A read-only inline of a read-only record."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceSavedAdmin(ReadableAdmin, NoDelete, admin.ModelAdmin):
    """The admin's form validates, then `save_model` hands the record to the app's service (`save_record` style:
    `service(instance)`); never deleted. Subclasses set `service` (a staticmethod) or override `save_model`."""

    service = None

    def save_model(self, request, obj, form, change):
        type(self).service(obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in instances:
            type(self).service(obj)
        formset.save_m2m()


class HistoryAdmin(ReadableAdmin, SimpleHistoryAdmin):
    """simple_history's admin, for reading a record's history only: its "revert" form would save an old version
    past the service (and accepts a POST from anyone who may merely view the record), so a POST there is refused
    and the button is hidden (SIMPLE_HISTORY_REVERT_DISABLED)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True
