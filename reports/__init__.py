"""The monthly report (SPEC §10): compile, show, export, approve and archive the month."""
