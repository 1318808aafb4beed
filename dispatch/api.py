"""REST actions on work orders (API reference /api/docs/): POST /api/work-orders/{id}/<action>/. Thin: services decide.

409 for illegal transitions, double dispatch and stale versions (`version` is optional on every action and
refused when it no longer matches); 403 when a technician acts on a work order that is not theirs.
R-W8 decision: dispatching beyond the day's visit limit answers 409 with `code: "load_limit"` and
`suggestions` (the least-loaded technicians of the same area); repeat with `"force": true` to confirm.
"""
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from servicedesk.api_fields import ExplainedField
from servicedesk.api_fields import FreeTextField
from servicedesk.api import WorkOrderSerializer
from servicedesk.api_errors import ErrorSerializer as _SharedErrorSerializer
from servicedesk.choices import Role, WorkOrderStatus
from servicedesk.errors import ConflictError
from servicedesk.models import Staff, WorkOrder
from servicedesk.money import MoneyField
from servicedesk.pdf import API_PARAMETERS, API_RENDERERS, API_RESPONSES, pdf_response
from servicedesk.permissions import RolePermission, staff_of
from servicedesk.quantities import QuantityField

from . import services
from .services import SIGNATURE_MAX_CHARS
from .choices import ResidentReason
from .filters import RefusalFilter
from billing.choices import LineItem, LineKind
from .models import CloseOut, Deadline, Refusal

DESK = {Role.COORDINATOR, Role.MANAGER}


# ---------------------------------------------------------------- serializers
class DeadlineSerializer(serializers.ModelSerializer):
    # plain string in the schema: a `kind` enum would collide with the client's `kind` (drf-spectacular naming)
    kind = serializers.CharField(read_only=True, help_text="mobile_depart | mobile_arrive | contact_client | resident_arrive | resident_answer | carry_in_return")
    explanation = ExplainedField()

    class Meta:
        model = Deadline
        fields = ["id", "kind", "rule", "technician", "starts_at", "due_at", "met_at", "breached_at", "cancelled_at", "explanation"]


class WorkOrderStateSerializer(WorkOrderSerializer):
    """The work order after the action, its open deadlines and any warning (R-W8)."""

    # a plain string in the schema: a second component with the WorkOrderStatus enum makes drf-spectacular
    # fall back to hashed enum names (W001) because billing also has a `status` enum
    status = serializers.CharField(read_only=True, help_text=" | ".join(WorkOrderStatus.values))
    deadlines = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta(WorkOrderSerializer.Meta):
        fields = WorkOrderSerializer.Meta.fields + ["deadlines", "warnings"]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return DeadlineSerializer(Deadline.objects.open().filter(work_order=obj), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, obj):
        return [str(w) for w in self.context.get("warnings", [])]


ErrorSerializer = _SharedErrorSerializer  # one "Error" component in the schema (servicedesk.api_errors)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    area = serializers.CharField()
    visits_today = serializers.IntegerField()
    same_area = serializers.BooleanField()
    usual = serializers.BooleanField()
    over_limit = serializers.BooleanField()


class LoadLimitSerializer(ErrorSerializer):
    suggestions = SuggestionSerializer(many=True)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text=_("打开页面时的工单版本;已变化则 409"))


class DispatchSerializer(VersionSerializer):
    technician = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    force = serializers.BooleanField(default=False, help_text=_("R-W8:确认超出每日上门上限仍派单"))
    resident_reason = serializers.ChoiceField(
        choices=ResidentReason.choices, required=False, allow_blank=True, default="",
        help_text=_("R-W5:驻点报修派给非驻点技术员时必填(驻点技术员休假或正忙)"),
    )
    resident_reason_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class WorkOrderReasonSerializer(VersionSerializer):
    reason = FreeTextField(allow_blank=True, required=False, default="")


class ContactSerializer(VersionSerializer):
    promised_at = serializers.DateTimeField(help_text=_("R-W6:承诺到达时间"))


class LineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices)
    item = serializers.ChoiceField(choices=LineItem.choices, default=LineItem.OTHER)
    description = FreeTextField(allow_blank=True, required=False, default="")
    # plain decimal, 2 places; the sign is left to billing.clean_lines so every close-out error is named at once
    cost = MoneyField(allow_zero=True, allow_negative=True, required=False, allow_null=True, default=None)
    quantity = QuantityField(max_value=None, required=False, default=1)  # the range is billing.clean_lines' (every row named)
    installed = serializers.BooleanField(required=False, default=False)


class ResolveSerializer(VersionSerializer):
    """R-W10 close-out fields; missing ones are refused by the service with every missing item named."""

    work_done = FreeTextField(allow_blank=True, required=False, default="")
    fault_cause = FreeTextField(allow_blank=True, required=False, default="")
    advice = FreeTextField(allow_blank=True, required=False, default="")
    software_installed = FreeTextField(allow_blank=True, required=False, default="")
    lines = LineSerializer(many=True, required=False, default=list)
    started_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    signature_name = serializers.CharField(allow_blank=True, required=False, default="", max_length=40, help_text=_("客户签名(姓名)"))
    signature_drawing = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=True, max_length=SIGNATURE_MAX_CHARS,
        help_text=_("客户手写签名:SVG 图像的 data URL(data:image/svg+xml;base64,…),可选"),
    )
    completed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class HandoverSerializer(VersionSerializer):
    to = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), help_text=_("R-W11:技术组长"))
    notes = FreeTextField(allow_blank=True, required=False, default="")


class AskConsentSerializer(VersionSerializer):
    diagnosis = FreeTextField(allow_blank=True, required=False, default="")
    expected_ready_on = serializers.DateField(required=False, allow_null=True, default=None)


class ClientAnswerSerializer(VersionSerializer):
    continue_repair = serializers.BooleanField()
    note = FreeTextField(allow_blank=True, required=False, default="")


class FinishTestingSerializer(VersionSerializer):
    test_days = serializers.IntegerField()
    lines = LineSerializer(many=True, required=False, default=list, help_text=_("送修维修的收费项(同上门的价目表,不收上门费)"))


class NoteSerializer(serializers.Serializer):
    note = FreeTextField(allow_blank=True, required=False, default="")


class JudgeRefusalSerializer(serializers.Serializer):
    unjustified = serializers.BooleanField()
    note = FreeTextField(allow_blank=True, required=False, default="")


class RefusalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refusal
        fields = ["id", "work_order", "technician", "at", "reason", "unjustified", "judged_by", "judged_at", "judgement_note"]


class CloseOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = CloseOut
        fields = [
            "id", "work_order", "technician", "work_done", "fault_cause", "advice", "software_installed", "lines",
            "started_at", "ended_at", "signature_name", "signature_drawing", "completed_at", "over_duration", "second_service_of",
            "explanation", "irregular", "irregular_by", "irregular_at", "irregular_reason",
        ]


# ---------------------------------------------------------------- viewsets
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("输入有误(字段错误)")),
    403: OpenApiResponse(ErrorSerializer, description=_("不是您负责的工单 / 角色无权")),
    409: OpenApiResponse(ErrorSerializer, description=_("当前状态不允许此操作、已被他人派单或版本已过期")),
}


def _doc(request, summary, extra=None):
    responses = {200: WorkOrderStateSerializer, **ERRORS, **(extra or {})}
    return extend_schema(request=request, responses=responses, summary=summary, tags=["work-orders"])


class WorkOrderActionViewSet(viewsets.GenericViewSet):
    """Lifecycle steps of a work order (R-W3). Only detail @actions: the core serves list/retrieve."""

    queryset = WorkOrder.objects.none()
    serializer_class = VersionSerializer
    permission_classes = [RolePermission]
    read_roles = None
    write_roles = None  # the services decide: the desk for dispatch/cancel, the holder for the steps
    action_roles = {"dispatch_order": DESK, "cancel": DESK, "close": DESK, "return_device": DESK, "client_chase": DESK}

    def get_queryset(self):
        # rule 6 (WorkOrder.objects.known_to): someone else's order answers 404, not 403 — its existence is not
        # revealed; one the technician held before stays known, so a stale step there answers 409 "refresh"
        viewer = staff_of(self.request.user)
        if viewer is None:  # RolePermission lets only a superuser through without a staff profile
            return WorkOrder.objects.all()
        return WorkOrder.objects.known_to(viewer)

    def _run(self, request, serializer_class, fn, **extra):
        wo = self.get_object()
        data = {}
        if serializer_class is not None:
            s = serializer_class(data=request.data)
            s.is_valid(raise_exception=True)
            data = dict(s.validated_data)
        result = fn(work_order=wo, by=staff_of(request.user), now=timezone.now(), **data, **extra)
        warnings = getattr(result, "warnings", [])
        wo.refresh_from_db()
        return Response(WorkOrderStateSerializer(wo, context={"warnings": warnings, "request": request}).data)

    @_doc(DispatchSerializer, _("派单 / 改派"), {409: OpenApiResponse(LoadLimitSerializer, description=_("冲突;R-W8 超限时 code=load_limit 并给出建议"))})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_order(self, request, pk=None):
        # not named `dispatch`: that is APIView.dispatch()
        # every 409 of this action carries `suggestions` (the published LoadLimit shape): the least-loaded
        # technicians of the area for R-W8's load limit; none for a conflict of the order's state (already
        # dispatched by someone else, a stale version, an illegal transition), where no other technician helps
        try:
            return self._run(request, DispatchSerializer, services.dispatch_work_order)
        except ConflictError as exc:
            body = {exc.field: [str(exc.message)]} if exc.field else {"detail": str(exc.message)}
            body["code"] = exc.code
            body["suggestions"] = [s.as_dict() for s in getattr(exc, "suggestions", [])]
            return Response(body, status=status.HTTP_409_CONFLICT)

    @_doc(VersionSerializer, _("接单"))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(request, VersionSerializer, services.accept)

    @_doc(WorkOrderReasonSerializer, _("拒单(R-W9)"))
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._run(request, WorkOrderReasonSerializer, services.refuse)

    @_doc(ContactSerializer, _("已联系客户(R-W6)"))
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        return self._run(request, ContactSerializer, services.contact)

    @_doc(VersionSerializer, _("出发(R-W4)"))
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        return self._run(request, VersionSerializer, services.depart)

    @_doc(VersionSerializer, _("到达"))
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        return self._run(request, VersionSerializer, services.arrive)

    @_doc(ResolveSerializer, _("完成服务并提交服务单(R-W10)"))
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._run(request, ResolveSerializer, services.resolve)

    @_doc(HandoverSerializer, _("交接给技术组长(R-W11)"))
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        return self._run(request, HandoverSerializer, services.handover)

    @_doc(WorkOrderReasonSerializer, _("取消工单"))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(request, WorkOrderReasonSerializer, services.cancel)

    @_doc(VersionSerializer, _("关闭工单"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(request, VersionSerializer, services.close)

    # carry-in repairs (R-W12, R-W13)
    @_doc(VersionSerializer, _("送修:开始检测"))
    @action(detail=True, methods=["post"])
    def diagnose(self, request, pk=None):
        return self._run(request, VersionSerializer, services.diagnose)

    @_doc(AskConsentSerializer, _("送修:告知客户预计修复时间并征求是否继续(R-W12)"))
    @action(detail=True, methods=["post"], url_path="ask-consent")
    def ask_consent(self, request, pk=None):
        return self._run(request, AskConsentSerializer, services.ask_consent)

    @_doc(ClientAnswerSerializer, _("送修:记录客户答复(R-W12)"))
    @action(detail=True, methods=["post"], url_path="client-answer")
    def client_answer(self, request, pk=None):
        return self._run(request, ClientAnswerSerializer, services.record_client_answer)

    @_doc(VersionSerializer, _("送修:开始维修"))
    @action(detail=True, methods=["post"], url_path="start-repair")
    def start_repair(self, request, pk=None):
        return self._run(request, VersionSerializer, services.start_repair)

    @_doc(VersionSerializer, _("送修:开始测试"))
    @action(detail=True, methods=["post"], url_path="start-testing")
    def start_testing(self, request, pk=None):
        return self._run(request, VersionSerializer, services.start_testing)

    @_doc(FinishTestingSerializer, _("送修:测试完成,可以返回(R-W13)"))
    @action(detail=True, methods=["post"], url_path="finish-testing")
    def finish_testing(self, request, pk=None):
        return self._run(request, FinishTestingSerializer, services.finish_testing)

    @_doc(VersionSerializer, _("送修:设备已返还客户(R-W13)"))
    @action(detail=True, methods=["post"], url_path="return-device")
    def return_device(self, request, pk=None):
        return self._run(request, VersionSerializer, services.return_device)

    @_doc(NoteSerializer, _("送修:客户来电催问(R-W12,建议 P8)"))
    @action(detail=True, methods=["post"], url_path="client-chase")
    def client_chase(self, request, pk=None):
        return self._run(request, NoteSerializer, services.record_client_chase)

    @extend_schema(request=WorkOrderReasonSerializer, responses={200: CloseOutSerializer, **ERRORS}, summary=_("服务单不规范(R-W10,建议 P4)"), tags=["work-orders"])
    @action(detail=True, methods=["post"], url_path="mark-irregular")
    def mark_irregular(self, request, pk=None):
        wo = self.get_object()
        s = WorkOrderReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        close_out = CloseOut.objects.filter(work_order=wo).first()
        if close_out is None:
            from servicedesk.errors import ConflictError

            raise ConflictError(_("该工单还没有服务单。"))
        row = services.mark_irregular(close_out=close_out, reason=s.validated_data["reason"], by=staff_of(request.user), now=timezone.now())
        return Response(CloseOutSerializer(row).data)

    @extend_schema(responses=API_RESPONSES, parameters=API_PARAMETERS, summary=_("服务单 PDF(R-W10)"), tags=["work-orders"])
    @action(detail=True, methods=["get"], url_path="service-form/pdf", url_name="service-form-pdf", renderer_classes=API_RENDERERS)
    def service_form_pdf(self, request, pk=None):
        """The visit's service form as an A4 PDF (Chinese; `?lang=en`): seen by whoever may see the work order
        and by the technician who filled it; 404 for anyone else (rule 6)."""
        from . import selectors

        context = selectors.service_form(work_order_id=_id(pk), viewer=staff_of(request.user))
        if context is None:
            raise Http404
        return pdf_response(request, template="dispatch/service_form_pdf.html", context=context,
                            filename=f"服务单-{context['wo'].number}.pdf", api=True)


def _id(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


class RefusalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-W9: refusals waiting for the coordinator's judgement (`?judged=false`)."""

    queryset = Refusal.objects.none()
    serializer_class = RefusalSerializer
    permission_classes = [RolePermission]
    read_roles = DESK
    write_roles = DESK
    filterset_class = RefusalFilter

    def get_queryset(self):
        return Refusal.objects.select_related("work_order", "technician", "judged_by").order_by("-at")

    @extend_schema(request=JudgeRefusalSerializer, responses={200: RefusalSerializer, **ERRORS}, summary=_("判定拒单是否无正当理由(R-W9,建议 P1)"))
    @action(detail=True, methods=["post"])
    def judge(self, request, pk=None):
        s = JudgeRefusalSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        row = services.judge_refusal(refusal=self.get_object(), by=staff_of(request.user), now=timezone.now(), **s.validated_data)
        return Response(RefusalSerializer(row).data)
