"""Allocate human-readable numbers: PREFIX-YYYY-MM-NNNN, gap-free per month, safe under concurrency."""
from datetime import date

from django.db import IntegrityError, transaction

from .models import NumberSequence


def next_number(prefix: str, on: date, width: int = 4) -> str:
    key = f"{prefix}-{on:%Y-%m}"
    with transaction.atomic():
        seq = NumberSequence.objects.select_for_update().filter(key=key).first()
        if seq is None:
            try:
                with transaction.atomic():
                    seq = NumberSequence.objects.create(key=key, last=0)
            except IntegrityError:  # created by a concurrent transaction
                pass
            seq = NumberSequence.objects.select_for_update().get(key=key)
        seq.last += 1
        seq.save(update_fields=["last"])
    return f"{key}-{seq.last:0{width}d}"
