"""R-N5 API: POST /api/penalties/offences/ records an observed offence (a pending proposal);
GET lists records — managers all, recorders their own records, everybody else the records about them."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from servicedesk.choices import Role
from servicedesk.models import Staff
from servicedesk.permissions import RolePermission, has_role, staff_of

from . import offences
from .models import RecordedOffence


class RecordedOffenceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True)
    penalty = serializers.SerializerMethodField()
    points = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    person = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    rule = serializers.CharField(max_length=8)
    photo = serializers.FileField(write_only=True, required=False, allow_null=True)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = RecordedOffence
        fields = ["id", "person", "person_name", "rule", "occurred_at", "observed", "photo", "photo_url", "points", "recorded_by",
                  "recorded_by_name", "recorded_at", "penalty"]
        read_only_fields = ["id", "recorded_by", "recorded_at", "penalty"]

    def get_photo_url(self, obj) -> str | None:
        """The photo through the page that checks the viewer (never a public media URL)."""
        from django.urls import reverse

        return reverse("penalties:offence_photo", args=[obj.pk]) if obj.photo else None

    def get_penalty(self, obj) -> dict | None:
        pen = self.context.get("penalties", {}).get(obj.pk)
        if pen is None:
            return None
        return {"id": pen.pk, "status": pen.status, "suggested_points": pen.suggested_points, "points": pen.points,
                "min_points": pen.min_points, "max_points": pen.max_points}


class OffenceViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RecordedOffenceSerializer
    permission_classes = [RolePermission]
    read_roles = None
    write_roles = set(offences.RECORDERS)
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = None

    def get_queryset(self):
        qs = RecordedOffence.objects.select_related("person", "recorded_by").order_by("-recorded_at", "-id")
        if has_role(self.request.user, Role.MANAGER):
            return qs
        me = staff_of(self.request.user)
        return qs.filter(Q(person=me) | Q(recorded_by=me))

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["penalties"] = getattr(self, "_penalties", {})
        return ctx

    def list(self, request, *args, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        from .models import Penalty

        page = self.paginate_queryset(self.get_queryset())
        ct = ContentType.objects.get_for_model(RecordedOffence)
        self._penalties = {p.source_id: p for p in Penalty.objects.filter(source_type=ct, source_id__in=[r.pk for r in page])}
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            pen = offences.record_offence(
                person=d["person"], rule=d["rule"], occurred_at=d["occurred_at"], observed=d["observed"],
                by=staff_of(request.user), now=timezone.now(), points=d.get("points"), photo=d.get("photo"),
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        self._penalties = {pen.source_id: pen}
        record = RecordedOffence.objects.select_related("person", "recorded_by").get(pk=pen.source_id)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)
