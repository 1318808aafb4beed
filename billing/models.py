"""Models of billing (see SPEC.md)."""
