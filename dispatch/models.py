"""Models of dispatch (see SPEC.md)."""
