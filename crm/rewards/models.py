"""Models of this module (filled in by its issue)."""
