"""Money built in Python (model names, explanation texts, errors) carries thousands separators (¥12,800.00)."""
from datetime import date
from decimal import Decimal

import pytest

from dispatch.projects.rules import CONSTRUCTION, MAINTENANCE, project_pool
from receivables.models import Payment
from servicedesk.texts import render


def test_payment_str_has_thousands_separators():
    assert str(Payment(amount=Decimal("12800"), received_on=date(2026, 11, 3))) == "¥12,800.00 2026-11-03"


@pytest.mark.django_db
def test_project_pool_explanations_have_thousands_separators():
    pool = project_pool(kind=CONSTRUCTION, contract_amount=Decimal("450000"), on=date(2026, 11, 1))
    text = render(pool.explanation["text"])  # stored as a message with money parameters (rule 7)
    assert "¥450,000.00" in text and "¥1,500.00" in text
    manual = project_pool(kind=MAINTENANCE, contract_amount=Decimal("500000"), on=date(2026, 11, 1),
                          manual_pool=Decimal("3000"), manual_manager_share=Decimal("1000"))
    text = render(manual.explanation["text"])
    assert "¥3,000.00" in text and "¥2,000.00" in text
