"""R-M7: exact splits to the cent.

Shares are computed in full precision, floored to the cent, and the leftover cents go one each
to the largest fractional remainders (ties by person id). The parts always add up to the pool.
Handbook: ¥600, weights 1.2 + 1 + 1 + 1 → 171.43 / 142.86 / 142.86 / 142.85.
"""
from decimal import ROUND_FLOOR, Decimal, localcontext

CENT = Decimal("0.01")


def split_exact(pool: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """Split `pool` (≥ 0, whole cents) among person ids by weight (each ≥ 0, total > 0)."""
    pool = Decimal(pool)
    if pool < 0 or pool != pool.quantize(CENT):
        raise ValueError("pool must be a non-negative amount in whole cents")
    if not weights:
        if pool:
            raise ValueError("nobody to share a non-zero pool")
        return {}
    weights = {pid: Decimal(w) for pid, w in weights.items()}
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("weights must add up to more than zero")
    cents = int(pool / CENT)
    with localcontext() as ctx:
        ctx.prec = 50
        exact = {pid: Decimal(cents) * w / total for pid, w in weights.items()}  # in cents, full precision
    floors = {pid: int(x.to_integral_value(rounding=ROUND_FLOOR)) for pid, x in exact.items()}
    leftover = cents - sum(floors.values())
    # largest remainders first; equal remainders by person id
    order = sorted(exact, key=lambda pid: (-(exact[pid] - floors[pid]), pid))
    for pid in order[:leftover]:
        floors[pid] += 1
    return {pid: (Decimal(c) * CENT).quantize(CENT) for pid, c in floors.items()}
