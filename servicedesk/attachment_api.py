"""REST: photos and documents of a work order (API reference /api/docs/). Thin: servicedesk/attachments.py decides.

GET  /api/work-orders/{id}/attachments/  the order's current attachments (the removed ones too with ?removed=1)
POST /api/work-orders/{id}/attachments/  multipart: `files` (one or more), optional `caption` → 201 with the new rows;
                                         a refused file → 400 naming it (nothing of the batch kept)
POST /api/attachments/{id}/remove/       optional `reason` → the row, flagged removed (never deleted)
An order the caller may not see answers 404 (rule 6: not revealed); `url` / `thumbnail_url` are the pages that check
the viewer again (never a public /media/ URL).
"""
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from . import attachments, selectors
from .models import WorkOrder, WorkOrderAttachment
from .permissions import staff_of


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(source="uploaded_by.name", read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrderAttachment
        fields = ["id", "work_order", "kind", "original_name", "content_type", "size", "original_size", "width", "height",
                  "pages", "step", "caption", "uploaded_by", "uploaded_by_name", "uploaded_at", "removed_at", "removed_by",
                  "removed_reason", "url", "thumbnail_url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("servicedesk:attachment_file", args=[obj.pk])

    def get_thumbnail_url(self, obj) -> str | None:
        return reverse("servicedesk:attachment_thumbnail", args=[obj.pk]) if obj.thumbnail else None


UploadSerializer = inline_serializer(
    "AttachmentUpload",
    {"files": serializers.ListField(child=serializers.FileField()), "caption": serializers.CharField(required=False, max_length=200)},
)


class WorkOrderAttachmentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def _order(self, request, pk):
        return get_object_or_404(WorkOrder.objects.visible_to(staff_of(request.user)), pk=pk)

    @extend_schema(responses=AttachmentSerializer(many=True), summary="工单的照片与附件")
    def get(self, request, pk):
        wo = self._order(request, pk)
        rows = selectors.attachments_of(wo, with_removed=request.query_params.get("removed") == "1")
        return Response(AttachmentSerializer(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer(many=True)},
                   summary="上传照片或 PDF(可多个)")
    def post(self, request, pk):
        wo = self._order(request, pk)
        caption = request.data.get("caption", "") if hasattr(request.data, "get") else ""
        rows = attachments.attach(work_order=wo, files=request.FILES.getlist("files"), by=staff_of(request.user),
                                  now=timezone.now(), caption=caption if isinstance(caption, str) else "")
        return Response(AttachmentSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class RemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class AttachmentRemoveView(APIView):
    @extend_schema(request=RemoveSerializer, responses=AttachmentSerializer, summary="移除附件(留痕,不删除)")
    def post(self, request, pk):
        me = staff_of(request.user)
        row = get_object_or_404(WorkOrderAttachment.objects.visible_to(me).select_related("work_order"), pk=pk)
        data = RemoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = attachments.remove(attachment=row, by=me, now=timezone.now(), reason=data.validated_data["reason"])
        return Response(AttachmentSerializer(row).data)
