"""Models of penalties (see SPEC.md)."""
