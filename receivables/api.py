"""REST API of sales and receivables (thin: services decide). Finance and managers see all; a technician only
their own confirmations (others' answer 404); coordinators register delivery copies."""
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from servicedesk.api_fields import FreeTextField, SaidField
from servicedesk.choices import Role
from servicedesk.models import Client, Site, Staff, WorkOrder
from servicedesk.money import MoneyField
from servicedesk.pdf import API_PARAMETERS, API_RENDERERS, API_RESPONSES, pdf_response
from servicedesk.permissions import RolePermission, has_role, staff_of
from servicedesk.quantities import QuantityField
from servicedesk.texts import render

from . import selectors, services
from .choices import (
    ConfirmationStatus,
    ExtensionStatus,
    OverdueCause,
    PaymentMethod,
    PaymentTerms,
    PriceSource,
    StatementStatus,
)
from .filters import ConfirmationFilter, ExtensionFilter, LedgerFilter, LedgerQuery
from .imports import ImportRejected
from .models import (
    ConfirmationCorrection,
    ConfirmationLine,
    ImportJob,
    DueDateChange,
    DueDateExtension,
    MonthlyStatement,
    OverdueReviewItem,
    Payment,
    SalesConfirmation,
)

ALL_STAFF = None


def enum_field(choices, **kwargs):
    """A choice field documented inline, so enum names never collide with other apps' "status" enums."""
    values = [v for v, _label in choices]

    @extend_schema_field({"type": "string", "enum": values, "description": "; ".join(f"{v} = {label}" for v, label in choices)})
    class _Enum(serializers.ChoiceField):
        pass

    return _Enum(choices=choices, **kwargs)
FINANCE_SIDE = {Role.FINANCE, Role.MANAGER}
LEDGER_READERS = {Role.FINANCE, Role.MANAGER, Role.COORDINATOR, Role.GM_OFFICE, Role.SALES, Role.TECHNICIAN, Role.ADMIN}


# --------------------------------------------------------------------------- serializers


def readable(explanation):
    """An explanation whose `text` is a stored message (servicedesk.texts), with the sentence in the request's
    language in its place (rule 7); the other keys as stored."""
    if isinstance(explanation, dict) and "text" in explanation:
        return {**explanation, "text": render(explanation["text"])}
    return explanation


class LineSerializer(serializers.ModelSerializer):
    price_source = enum_field(PriceSource.choices, read_only=True)

    class Meta:
        model = ConfirmationLine
        fields = ["position", "description", "quantity", "unit_price", "amount", "price_source", "explanation"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["explanation"] = readable(data.get("explanation"))  # the billing explanation, in the reader's language
        data["description"] = render(instance.description)  # "上门费" and other written lines read in the reader's language
        return data


class DueDateChangeSerializer(serializers.ModelSerializer):
    reason = serializers.SerializerMethodField()

    def get_reason(self, obj) -> str:
        return render(obj.reason)  # in the request's language (rule 7)

    class Meta:
        model = DueDateChange
        fields = ["from_date", "to_date", "reason", "extension", "by", "at"]
        read_only_fields = fields


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfirmationCorrection
        fields = ["old_amount", "new_amount", "rule", "reason", "source", "by", "at"]
        read_only_fields = fields


class ConfirmationSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)
    salesperson_name = serializers.CharField(source="salesperson.name", read_only=True, default=None, allow_null=True)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    lines = LineSerializer(many=True, read_only=True)
    due_date_changes = DueDateChangeSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    status = enum_field(ConfirmationStatus.choices, read_only=True)
    payment_terms = enum_field(PaymentTerms.choices, read_only=True)
    provisional = serializers.BooleanField(
        source="due_provisional", read_only=True,
        help_text="SPEC §11: the due date touched a year whose official calendar is not loaded yet (按法定假日暂算)",
    )

    class Meta:
        model = SalesConfirmation
        fields = [
            "id", "number", "client", "client_name", "client_kind", "site", "work_order", "technician", "technician_name",
            "salesperson", "salesperson_name", "sold_on", "payment_terms", "amount", "received_amount", "outstanding",
            "due_date", "original_due_date", "due_rule", "provisional", "status", "technician_signed_at", "client_signed_at",
            "client_signatory", "registered_at", "registered_by", "ledger_recorded_at", "statement", "imported", "lines",
            "due_date_changes", "from_visit", "invoice_number", "corrections",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["due_rule"] = readable(data.get("due_rule"))  # R-S2/R-S3 in the reader's language
        return data


class LineInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    quantity = QuantityField(decimal_places=2, max_digits=10, min_value=Decimal("0.01"))  # plain ASCII decimal
    unit_price = MoneyField(max_digits=14, decimal_places=2, allow_zero=True)
    price_source = enum_field(PriceSource.choices, default=PriceSource.TYPED)


class ConfirmationCreateSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    work_order = serializers.PrimaryKeyRelatedField(queryset=WorkOrder.objects.all(), required=False, allow_null=True)
    technician = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False)
    salesperson = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    sold_on = serializers.DateField()
    payment_terms = enum_field(PaymentTerms.choices, required=False)
    lines = LineInputSerializer(many=True)


class RegisterSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="扫描或输入的确认书编号")


class ClientSignSerializer(serializers.Serializer):
    signatory = serializers.CharField(max_length=40)


class ExtensionRequestSerializer(serializers.Serializer):
    requested_due_date = serializers.DateField()
    reason = FreeTextField()


class ExtensionSerializer(serializers.ModelSerializer):
    confirmation_number = serializers.CharField(source="confirmation.number", read_only=True)
    status = enum_field(ExtensionStatus.choices, read_only=True)

    class Meta:
        model = DueDateExtension
        fields = ["id", "confirmation", "confirmation_number", "requested_due_date", "reason", "status", "requested_by",
                  "requested_at", "manager_by", "manager_at", "gm_by", "gm_at", "decision_note"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PaymentSerializer(serializers.ModelSerializer):
    method = enum_field(PaymentMethod.choices, default=PaymentMethod.TRANSFER)
    amount = MoneyField(max_digits=14, decimal_places=2)

    class Meta:
        model = Payment
        fields = ["id", "confirmation", "statement", "amount", "received_on", "method", "reference", "note", "recorded_by", "recorded_at"]
        read_only_fields = ["id", "recorded_by", "recorded_at"]
        extra_kwargs = {"confirmation": {"required": False}, "statement": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["note"] = render(instance.note)  # a note the product wrote ("现场收款") reads in the reader's language
        return data


class StatementSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    status = enum_field(StatementStatus.choices, read_only=True)
    provisional = serializers.SerializerMethodField(
        help_text="SPEC §11: always false — a statement is due at a month end (R-S2), which needs no working days",
    )

    class Meta:
        model = MonthlyStatement
        fields = ["id", "number", "client", "client_name", "month", "status", "amount", "received_amount", "outstanding",
                  "due_date", "provisional", "compiled_at", "reviewed_at", "reviewed_by", "checked_at", "checked_by", "sent_at", "sent_by", "paid_at"]
        read_only_fields = fields

    def get_provisional(self, obj) -> bool:
        return False


class CompileSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="该月任一日期,如 2026-10-01")
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), required=False, allow_null=True)
    again = serializers.BooleanField(default=True, help_text="false:该月已汇总则拒绝(409),不重复汇总")


class CollectSerializer(serializers.Serializer):
    method = enum_field([(PaymentMethod.CASH, PaymentMethod.CASH.label), (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label)])
    invoice_number = serializers.CharField(max_length=40)


class SignaturesSerializer(serializers.Serializer):
    signatory = serializers.CharField(max_length=40)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportResultSerializer(serializers.Serializer):
    job = serializers.IntegerField(allow_null=True, help_text="后台任务编号(大文件);小文件直接导入时为空")
    payments = serializers.IntegerField(allow_null=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class CompileResultSerializer(serializers.Serializer):
    compiled = serializers.ListField(child=serializers.IntegerField())
    refused = serializers.ListField(child=serializers.IntegerField())


class LedgerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    sold_on = serializers.DateField()
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.name")
    client_kind = serializers.CharField()
    technician = serializers.IntegerField(source="technician_id")
    technician_name = serializers.CharField(source="technician.name")
    salesperson_name = serializers.CharField(source="salesperson.name", default=None, allow_null=True)
    invoiced = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    received = serializers.DecimalField(source="received_amount", max_digits=14, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField()
    provisional = serializers.BooleanField(source="due_provisional", help_text="SPEC §11: due date 按法定假日暂算")
    days_overdue = serializers.SerializerMethodField()
    ageing_bucket = serializers.CharField(source="bucket")
    document_status = serializers.CharField(source="status", help_text="单据状态,取值同 confirmations 的 status")
    registered = serializers.SerializerMethodField()

    def get_days_overdue(self, obj) -> int:
        as_of = self.context["as_of"]
        return max((as_of - obj.due_date).days, 0) if obj.outstanding > 0 else 0

    def get_registered(self, obj) -> bool:
        return obj.registered_at is not None


class OverdueItemSerializer(serializers.ModelSerializer):
    confirmation_number = serializers.CharField(source="confirmation.number", read_only=True)
    client_name = serializers.CharField(source="confirmation.client.name", read_only=True)
    follow_up_owner_name = serializers.CharField(source="follow_up_owner.name", read_only=True, default=None, allow_null=True)
    week_of = serializers.DateField(source="review.week_of", read_only=True)
    cause = enum_field(OverdueCause.choices, read_only=True)
    follow_up_rule = SaidField()

    class Meta:
        model = OverdueReviewItem
        fields = ["id", "week_of", "confirmation", "confirmation_number", "client_name", "follow_up_owner", "follow_up_owner_name",
                  "follow_up_rule", "days_overdue", "outstanding", "registered", "cause", "note", "noted_by", "noted_at", "penalty_proposed"]
        read_only_fields = fields


class OverdueNoteSerializer(serializers.Serializer):
    cause = enum_field(OverdueCause.choices)
    note = FreeTextField(required=False, allow_blank=True, default="")


# --------------------------------------------------------------------------- viewsets


class ConfirmationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Sales confirmations (R-S1). Technicians see and write only their own."""

    queryset = SalesConfirmation.objects.none()
    serializer_class = ConfirmationSerializer
    permission_classes = [RolePermission]
    read_roles = ALL_STAFF
    write_roles = {Role.TECHNICIAN, Role.COORDINATOR, Role.MANAGER, Role.FINANCE}
    action_roles = {"register": {Role.COORDINATOR, Role.MANAGER}}
    filterset_class = ConfirmationFilter

    def get_queryset(self):
        qs = selectors.confirmations_for(staff_of(self.request.user))
        return qs.prefetch_related("due_date_changes", "corrections")

    def get_serializer_class(self):
        if self.action == "create":
            return ConfirmationCreateSerializer
        return ConfirmationSerializer

    @extend_schema(request=ConfirmationCreateSerializer, responses={201: ConfirmationSerializer})
    def create(self, request, *args, **kwargs):
        data = ConfirmationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        by = staff_of(request.user)
        technician = v.pop("technician", None) or by
        conf = services.create_confirmation(technician=technician, by=by, now=timezone.now(), **v)
        return Response(ConfirmationSerializer(conf).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=API_RESPONSES, parameters=API_PARAMETERS, summary=_("销售确认书 PDF(R-S1)"))
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf", renderer_classes=API_RENDERERS)
    def pdf(self, request, pk=None):
        """The confirmation as the client's paper (A4 PDF, Chinese; `?lang=en`); 404 for one the caller may not see."""
        conf = self.get_object()
        conf = selectors.confirmation_document(staff_of(request.user)).get(pk=conf.pk)
        return pdf_response(request, template="receivables/confirmation_pdf.html", context={"conf": conf},
                            filename=f"销售确认书-{conf.number}.pdf", api=True)

    @extend_schema(request=None, responses=ConfirmationSerializer)
    @action(detail=True, methods=["post"], url_path="sign-technician")
    def sign_technician(self, request, pk=None):
        conf = services.sign_by_technician(confirmation=self.get_object(), by=staff_of(request.user), now=timezone.now())
        return Response(ConfirmationSerializer(conf).data)

    @extend_schema(request=ClientSignSerializer, responses=ConfirmationSerializer)
    @action(detail=True, methods=["post"], url_path="sign-client")
    def sign_client(self, request, pk=None):
        data = ClientSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conf = services.sign_by_client(confirmation=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(ConfirmationSerializer(conf).data)

    @extend_schema(request=None, responses=ConfirmationSerializer)
    @action(detail=True, methods=["post"], url_path="record-in-ledger")
    def record_in_ledger(self, request, pk=None):
        conf = services.record_in_ledger(confirmation=self.get_object(), by=staff_of(request.user), now=timezone.now())
        return Response(ConfirmationSerializer(conf).data)

    @extend_schema(request=RegisterSerializer, responses=ConfirmationSerializer)
    @action(detail=False, methods=["post"])
    def register(self, request):
        """R-S1: the coordinator registers a returned delivery copy by its number."""
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conf = services.register_delivery_copy(number=data.validated_data["number"], by=staff_of(request.user), now=timezone.now())
        return Response(ConfirmationSerializer(conf).data)

    @extend_schema(request=SignaturesSerializer, responses=ConfirmationSerializer)
    @action(detail=True, methods=["post"], url_path="record-signatures")
    def record_signatures(self, request, pk=None):
        """The phone's one step: the technician signs (if not yet) and records the client's signature name."""
        data = SignaturesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conf = services.record_signatures(confirmation=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(ConfirmationSerializer(conf).data)

    @extend_schema(request=CollectSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def collect(self, request, pk=None):
        """R-S3: collected on the spot (cash or transfer, invoice number): the whole outstanding amount."""
        data = CollectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.collect_on_the_spot(confirmation=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionRequestSerializer, responses={201: ExtensionSerializer})
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        data = ExtensionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ext = services.request_extension(confirmation=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(ExtensionSerializer(ext).data, status=status.HTTP_201_CREATED)


class ExtensionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-S4 extension requests: the manager approves, then the GM office."""

    queryset = DueDateExtension.objects.none()
    serializer_class = ExtensionSerializer
    permission_classes = [RolePermission]
    read_roles = {Role.MANAGER, Role.GM_OFFICE, Role.FINANCE, Role.COORDINATOR}
    write_roles = {Role.MANAGER, Role.GM_OFFICE}
    filterset_class = ExtensionFilter

    def get_queryset(self):
        return DueDateExtension.objects.select_related("confirmation")

    @extend_schema(request=DecisionSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ext = services.approve_extension(extension=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(ExtensionSerializer(ext).data)

    @extend_schema(request=DecisionSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ext = services.reject_extension(extension=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(ExtensionSerializer(ext).data)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Receipts against a confirmation or a statement; overpayment is refused (400 on `amount`)."""

    queryset = Payment.objects.none()
    serializer_class = PaymentSerializer
    permission_classes = [RolePermission]
    read_roles = ALL_STAFF
    write_roles = {Role.FINANCE, Role.MANAGER, Role.TECHNICIAN, Role.COORDINATOR}
    action_roles = {"import_file": {Role.FINANCE}}

    def get_queryset(self):
        return selectors.payments_for(staff_of(self.request.user))

    def create(self, request, *args, **kwargs):
        data = PaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        by = staff_of(request.user)
        conf = v.get("confirmation")
        if conf is not None and not SalesConfirmation.objects.visible_to(by).filter(pk=conf.pk).exists():
            raise serializers.ValidationError({"confirmation": ["无效的确认书。"]})
        payment = services.record_payment(
            confirmation=conf, statement=v.get("statement"), amount=v["amount"], received_on=v["received_on"],
            method=v.get("method", PaymentMethod.TRANSFER), reference=v.get("reference", ""), note=v.get("note", ""),
            by=by, now=timezone.now(),
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportResultSerializer, 202: ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_file(self, request):
        """Finance's payments file (.xlsx): all rows or nothing (400 lists every bad row and column); a large
        file becomes a background job (202 with its id, progress on the import page)."""
        if not has_role(request.user, Role.FINANCE):
            raise PermissionDenied
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.start_import(kind=ImportJob.Kind.PAYMENTS, file=data.validated_data["file"], by=staff_of(request.user), now=timezone.now())
        except ImportRejected as exc:
            return Response({"file": [str(exc.message)], "errors": [e.as_dict() for e in exc.errors[:500]]}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(result, ImportJob):
            return Response({"job": result.pk, "payments": None, "total": None}, status=status.HTTP_202_ACCEPTED)
        return Response(ImportResultSerializer({"job": None, "payments": result.payments, "total": result.total}).data, status=status.HTTP_201_CREATED)


class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-S2 monthly statements: compile → manager review → finance check → sent → paid."""

    queryset = MonthlyStatement.objects.none()
    serializer_class = StatementSerializer
    permission_classes = [RolePermission]
    read_roles = {Role.FINANCE, Role.MANAGER, Role.COORDINATOR, Role.GM_OFFICE, Role.SALES}
    write_roles = {Role.FINANCE, Role.MANAGER, Role.COORDINATOR}
    action_roles = {"review": {Role.MANAGER}, "check": {Role.FINANCE}, "compile": {Role.COORDINATOR, Role.MANAGER, Role.FINANCE}}

    def get_queryset(self):
        return selectors.statements()

    @extend_schema(request=CompileSerializer, responses=CompileResultSerializer)
    @action(detail=False, methods=["post"])
    def compile(self, request):
        data = CompileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        by, now = staff_of(request.user), timezone.now()
        client = data.validated_data.get("client")
        if client is not None:
            stmt = services.compile_statement(client=client, month=data.validated_data["month"], now=now, by=by,
                                              again=data.validated_data["again"])
            result = {"compiled": [stmt.pk] if stmt else [], "refused": []}
        else:
            result = services.compile_month(month=data.validated_data["month"], now=now, by=by, again=data.validated_data["again"])
        return Response(CompileResultSerializer(result).data)

    def _step(self, fn):
        stmt = fn(statement=self.get_object(), by=staff_of(self.request.user), now=timezone.now())
        return Response(StatementSerializer(stmt).data)

    @extend_schema(responses=API_RESPONSES, parameters=API_PARAMETERS, summary=_("月结对账单 PDF(R-S2)"))
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf", renderer_classes=API_RENDERERS)
    def pdf(self, request, pk=None):
        """The statement the client receives for payment, as an A4 PDF (Chinese; `?lang=en`)."""
        stmt = self.get_object()
        return pdf_response(request, template="receivables/statement_pdf.html",
                            context={"s": stmt, "lines": selectors.statement_lines(stmt)},
                            filename=f"对账单-{stmt.number}.pdf", api=True)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._step(services.review_statement)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self._step(services.check_statement)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self._step(services.send_statement)


class LedgerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The receivable ledger (R-S8) with ageing; a technician gets their own sales ledger (R-S6)."""

    queryset = SalesConfirmation.objects.none()
    serializer_class = LedgerRowSerializer
    permission_classes = [RolePermission]
    read_roles = LEDGER_READERS
    filterset_class = LedgerFilter  # period, client, technician, salesperson, kind, status (judged at `as_of`)

    @cached_property
    def as_of(self):
        query = LedgerQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.as_of_date()

    def get_queryset(self):
        return (
            selectors.ledger(as_of=self.as_of, viewer=staff_of(self.request.user))
            .select_related("client", "technician", "salesperson")
            .order_by("client__name", "sold_on", "number")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of": self.as_of}


class OverdueItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """R-S6/R-S7 Monday overdue review items; the manager notes a cause (technician → P11 proposed once)."""

    queryset = OverdueReviewItem.objects.none()
    serializer_class = OverdueItemSerializer
    permission_classes = [RolePermission]
    read_roles = {Role.MANAGER, Role.FINANCE, Role.SALES, Role.GM_OFFICE}
    write_roles = {Role.MANAGER}

    def get_queryset(self):
        return OverdueReviewItem.objects.select_related(
            "review", "confirmation__client", "follow_up_owner"
        ).order_by("-review__week_of", "-days_overdue")

    @extend_schema(request=OverdueNoteSerializer, responses=OverdueItemSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        data = OverdueNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.note_overdue_item(item=self.get_object(), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(OverdueItemSerializer(item).data)
