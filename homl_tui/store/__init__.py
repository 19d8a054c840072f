"""Learner state: SQLite progress store and the workspace of exercise files."""

from homl_tui.store.db import Store, StoreError
from homl_tui.store.workspace import Workspace, atomic_write, why_not_written

__all__ = ["Store", "StoreError", "Workspace", "atomic_write", "why_not_written"]
