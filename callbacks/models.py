"""Models of callbacks (see SPEC.md)."""
