"""UI tests: pilot tests, snapshots and rendering helpers."""
