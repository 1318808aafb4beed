"""Models of bonuses (see SPEC.md)."""
