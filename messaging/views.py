"""The manager's pages (the outbox, the templates with a preview), everyone's "my channel" and the contacts'
channels. Thin: reads from selectors, writes through services; permissions enforced here, server-side (rule 6)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import apply_domain_error, error_text
from servicedesk.models import Contact
from servicedesk.paging import page_of, query_without_page
from servicedesk.permissions import require_role, require_staff, staff_of

from . import selectors, services
from .catalogue import TEMPLATES
from .choices import OutboxState
from .forms import ContactChannelForm, OutboxFilter, StaffChannelForm, TemplateForm
from .models import ContactChannel, OutboxMessage, StaffChannel
from .rendering import check_text, render_text, template_text


@login_required
def outbox(request):
    require_role(request.user, Role.MANAGER)
    if request.method == "POST":
        row = get_object_or_404(OutboxMessage, pk=request.POST.get("message"))
        action = services.retry_message if request.POST.get("action") == "retry" else services.cancel_message
        try:
            action(message=row, by=staff_of(request.user), now=timezone.now())
            messages.success(request, _("已重新排队发送。") if action is services.retry_message else _("已取消。"))
        except DomainError as exc:
            messages.error(request, error_text(exc))
        return redirect(f"{request.path}?{query_without_page(request)}")
    form = OutboxFilter(request.GET)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = page_of(request, selectors.outbox(state=state))
    counts = selectors.state_counts()
    labels = {k: t.label for k, t in TEMPLATES.items()}
    for row in page.object_list:
        row.template_label = labels.get(row.template_key, row.template_key)
    return render(request, "messaging/outbox.html", {
        "form": form, "page": page, "keep": query_without_page(request), "state": state,
        "states": [(value, label, counts[value]) for value, label in OutboxState.choices],
    })


@login_required
def templates(request):
    require_role(request.user, Role.MANAGER)
    return render(request, "messaging/templates.html", {"rows": selectors.templates()})


@login_required
def template_edit(request, key):
    require_role(request.user, Role.MANAGER)
    if key not in TEMPLATES:
        raise Http404
    spec = TEMPLATES[key]
    params, links, source = selectors.preview_source(key)
    current = {"text_zh": template_text(key, "zh-hans"), "text_en": template_text(key, "en")}
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            texts = {"text_zh": form.cleaned_data["text_zh"].strip() or spec.zh,
                     "text_en": form.cleaned_data["text_en"].strip() or spec.en}
            if "preview" in request.POST:
                try:
                    for field, text in texts.items():
                        check_text(key, text, field=field)
                    current = texts
                except DomainError as exc:
                    apply_domain_error(form, exc)
            else:
                try:
                    services.save_template(key=key, text_zh=form.cleaned_data["text_zh"],
                                           text_en=form.cleaned_data["text_en"], by=staff_of(request.user),
                                           now=timezone.now())
                    messages.success(request, _("消息模板已保存。"))
                    return redirect("messaging:template_edit", key=key)
                except DomainError as exc:
                    apply_domain_error(form, exc)
    else:
        row = next(r for r in selectors.templates() if r["key"] == key)["row"]
        form = TemplateForm(initial={"text_zh": row.text_zh if row else "", "text_en": row.text_en if row else ""})
    previews = []
    for language, label, field in (("zh-hans", _("中文"), "text_zh"), ("en", _("英文"), "text_en")):
        try:
            previews.append((label, render_text(current[field], params=params, links=links, language=language, preview=True)))
        except (KeyError, ValueError, TypeError):
            previews.append((label, _("模板格式有误,无法预览。")))
    return render(request, "messaging/template_edit.html", {
        "spec": spec, "form": form, "previews": previews, "source": source,
        "placeholders": [f"%({p})s" for p in spec.params],
    })


@login_required
def my_channel(request):
    staff = require_staff(request.user)
    row = StaffChannel.objects.filter(staff=staff).first()
    if request.method == "POST":
        form = StaffChannelForm(request.POST)
        if form.is_valid():
            try:
                services.set_staff_channel(staff=staff, channel=form.cleaned_data["channel"], now=timezone.now())
                messages.success(request, _("已保存您的提醒渠道。"))
                return redirect("messaging:my_channel")
            except DomainError as exc:
                apply_domain_error(form, exc)
    else:
        form = StaffChannelForm(initial={"channel": row.channel if row else "in_app"})
    return render(request, "messaging/my_channel.html", {"form": form, "staff": staff})


@login_required
def contacts(request):
    """The clients' contacts and how each hears from the department (coordinators and the manager)."""
    require_role(request.user, Role.COORDINATOR, Role.MANAGER)
    page = page_of(request, Contact.objects.select_related("client", "site", "message_channel").order_by("client__name", "name"))
    return render(request, "messaging/contacts.html", {"page": page, "keep": query_without_page(request)})


@login_required
def contact_channel(request, pk):
    require_role(request.user, Role.COORDINATOR, Role.MANAGER)
    contact = get_object_or_404(Contact.objects.select_related("client", "site"), pk=pk)
    row = ContactChannel.objects.filter(contact=contact).first()
    if request.method == "POST":
        form = ContactChannelForm(request.POST)
        if form.is_valid():
            try:
                services.set_contact_channel(contact=contact, by=staff_of(request.user), now=timezone.now(),
                                             **form.cleaned_data)
                messages.success(request, _("已保存联系人的消息渠道。"))
                return redirect("messaging:contacts")
            except DomainError as exc:
                apply_domain_error(form, exc)
    else:
        form = ContactChannelForm(initial={
            "channel": row.channel if row else "sms", "address": row.address if row else "",
            "language": row.language if row else "zh-hans", "opted_out": row.opted_out if row else False})
    return render(request, "messaging/contact_channel.html", {"form": form, "contact": contact})
