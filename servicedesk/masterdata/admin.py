"""The Django admin's import of the four lists (django-import-export's ImportMixin with the same resources): an
.xlsx is read by the master-data reader (formulas kept as text, never evaluated; either language's headers),
the staff rows are granted as the admin user (permissions.check_role_change). Exports go through the admin
role's page (servicedesk/exports.py: formula-injection escaping), not the admin."""
import io

import tablib
from django.utils import timezone
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from .reading import read_upload
from .resources import ClientResource, EquipmentResource, SiteResource, StaffResource


class MasterDataXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        f = io.BytesIO(in_stream)
        f.name = "upload.xlsx"
        sheets = read_upload(f)
        return sheets[0].dataset if sheets else tablib.Dataset()


class MasterDataImportMixin(ImportMixin):
    import_formats = [MasterDataXLSX, base_formats.CSV]
    # the four lists' admins (servicedesk/admin.py) set `resource_classes`

    def get_import_resource_kwargs(self, request, **kwargs):
        out = super().get_import_resource_kwargs(request, **kwargs)
        out.update(by=request.user, now=timezone.now())
        return out


__all__ = ["ClientResource", "EquipmentResource", "MasterDataImportMixin", "SiteResource", "StaffResource"]
