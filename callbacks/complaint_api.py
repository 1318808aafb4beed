"""R-K10 API: /api/callbacks/complaints/ — take (POST), list, reply and record the client's confirmation."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from servicedesk.api_fields import FreeTextField
from servicedesk.choices import Role
from servicedesk.models import Client, Staff, WorkOrder
from servicedesk.permissions import RolePermission, staff_of

from . import complaints
from .choices import NOT_PERSON_CAUSE_CHOICES, NOT_PERSON_CAUSES, ComplaintCause, ComplaintChannel, ComplaintOutcome
from .models import Complaint

INTAKE = set(complaints.INTAKE_ROLES)


class AnyChannelComplaintSerializer(serializers.ModelSerializer):
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices)
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    work_order = serializers.PrimaryKeyRelatedField(queryset=WorkOrder.objects.all(), required=False, allow_null=True)
    technician = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    reply_overdue = serializers.BooleanField(source="is_reply_overdue", read_only=True)
    # "" until the manager decides: one of the values or blank in the published schema
    outcome = serializers.ChoiceField(choices=ComplaintOutcome.choices, allow_blank=True, read_only=True)
    cause = serializers.ChoiceField(choices=ComplaintCause.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "channel", "client", "work_order", "technician", "words", "owner", "serious", "status",
                  "created_at", "created_by", "reply_due_at", "reply_overdue", "replied_at", "root_cause", "agreed_fix",
                  "fix_due_on", "client_confirmation", "client_confirmed_at", "gm_reported_at", "reply_explanation",
                  "outcome", "responsible", "cause", "decided_by", "decided_at", "decision_reason"]
        read_only_fields = ["id", "status", "created_at", "created_by", "reply_due_at", "replied_at", "root_cause",
                            "agreed_fix", "fix_due_on", "client_confirmation", "client_confirmed_at", "gm_reported_at",
                            "reply_explanation", "outcome", "responsible", "cause", "decided_by", "decided_at",
                            "decision_reason"]


class ComplaintReplySerializer(serializers.Serializer):
    root_cause = FreeTextField()
    agreed_fix = FreeTextField()
    fix_due_on = serializers.DateField()


class ComplaintDecideSerializer(serializers.Serializer):
    """R-K10 Decision: own_work needs `responsible` (proposes P8 to them, counts for R-M2); not_person and
    unfounded propose nothing. `cause` (not_person only): process, product, third_party, other (default)."""

    outcome = serializers.ChoiceField(choices=ComplaintOutcome.choices)
    responsible = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    reason = FreeTextField()
    cause = serializers.ChoiceField(choices=NOT_PERSON_CAUSE_CHOICES, required=False, allow_blank=True)


class ComplaintConfirmSerializer(serializers.Serializer):
    client_confirmation = FreeTextField()


class ComplaintViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AnyChannelComplaintSerializer
    permission_classes = [RolePermission]
    read_roles = INTAKE | {Role.GM_OFFICE}
    write_roles = INTAKE
    action_roles = {"reply": None, "confirm": None, "decide": {Role.MANAGER}}  # reply/confirm: the owner or a manager
    filterset_class = None

    def get_queryset(self):
        return Complaint.objects.select_related("client", "owner", "technician").order_by("-created_at", "-id")

    def _call(self, fn, **kwargs):
        try:
            return fn(**kwargs)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        c = self._call(
            complaints.register_complaint, channel=d["channel"], client=d["client"], words=d["words"],
            by=staff_of(request.user), now=timezone.now(), work_order=d.get("work_order"), technician=d.get("technician"),
            owner=d.get("owner"), serious=d.get("serious", False),
        )
        return Response(AnyChannelComplaintSerializer(c).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        ser = ComplaintReplySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        c = self._call(complaints.reply, complaint=self.get_object_for_action(pk), by=staff_of(request.user),
                       now=timezone.now(), **ser.validated_data)
        return Response(AnyChannelComplaintSerializer(c).data)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        ser = ComplaintDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        c = self._call(complaints.decide, complaint=self.get_object_for_action(pk), by=staff_of(request.user),
                       now=timezone.now(), outcome=d["outcome"], responsible=d.get("responsible"), reason=d["reason"],
                       cause=d.get("cause", ""))
        return Response(AnyChannelComplaintSerializer(c).data)

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        ser = ComplaintConfirmSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        c = self._call(complaints.confirm_by_client, complaint=self.get_object_for_action(pk), by=staff_of(request.user),
                       now=timezone.now(), confirmation=ser.validated_data["client_confirmation"])
        return Response(AnyChannelComplaintSerializer(c).data)

    def get_object_for_action(self, pk):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(Complaint, pk=pk)
