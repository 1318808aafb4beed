"""R-M7: exact splits to the cent (property test and the handbook example)."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bonuses.splits import split_exact


def test_r_m7_handbook_600_manager_and_three_members():
    parts = split_exact(Decimal("600"), {7: Decimal("1.2"), 8: Decimal("1"), 9: Decimal("1"), 10: Decimal("1")})
    assert parts == {7: Decimal("171.43"), 8: Decimal("142.86"), 9: Decimal("142.86"), 10: Decimal("142.85")}


def test_r_m7_leftover_cents_go_to_the_largest_remainders_ties_by_person_id():
    assert split_exact(Decimal("100.00"), {3: Decimal(1), 1: Decimal(1), 2: Decimal(1)}) == {
        1: Decimal("33.34"), 2: Decimal("33.33"), 3: Decimal("33.33")}
    assert split_exact(Decimal("0.00"), {1: Decimal(1)}) == {1: Decimal("0.00")}


pools = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
weights = st.sampled_from([Decimal("1"), Decimal("1.0"), Decimal("1.2"), Decimal("0.5"), Decimal("2.75"), Decimal("0.01")])


@settings(max_examples=300, deadline=None)
@given(pool=pools, team=st.lists(weights, min_size=1, max_size=25))
def test_r_m7_parts_always_add_up_and_equal_weights_differ_by_at_most_a_cent(pool, team):
    w = {pid: wt for pid, wt in enumerate(team, start=1)}
    parts = split_exact(pool, w)
    assert sum(parts.values()) == pool
    assert set(parts) == set(w)
    assert all(p >= 0 and p == p.quantize(Decimal("0.01")) for p in parts.values())
    by_weight = {}
    for pid, wt in w.items():
        by_weight.setdefault(wt.normalize(), []).append(parts[pid])
    for same in by_weight.values():
        assert max(same) - min(same) <= Decimal("0.01")
    # never more than one cent away from the exact share
    total = sum(w.values())
    for pid, wt in w.items():
        assert abs(parts[pid] - pool * wt / total) < Decimal("0.01")
