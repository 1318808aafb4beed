"""Models of receivables (see SPEC.md)."""
