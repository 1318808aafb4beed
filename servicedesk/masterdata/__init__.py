"""The department's master data brought in from (and out to) spreadsheets: clients, sites, equipment and staff.

- `columns`: the four lists, their columns and titles (either language), the spelling helpers;
- `reading`: the upload checked and read (xlsx streamed read-only, formulas kept as text; csv) into datasets;
- `resources`: django-import-export resources, one per list, idempotent by natural keys, no per-row queries;
- `services`: the dry-run preview and the all-or-nothing import (one transaction), the export and templates;
- `jobs`: the confirmed import as a background job (Celery; eager without Redis) with progress, run once;
- `views`: the admin role's page (upload → preview → confirm → the job's progress and result) and the downloads.
"""
