"""Widgets of the app, one per file; each carries its own DEFAULT_CSS."""
