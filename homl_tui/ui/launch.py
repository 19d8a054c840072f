"""Build the app from command-line settings (``create_app``) and run it (``launch``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from homl_tui.ui.app import HomlApp
from homl_tui.ui.terminal import degrade_to_ascii, unsupported


def create_app(
    lessons_dir: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    device: str | None = None,
) -> HomlApp:
    """The app for a lessons folder, a data folder and a device (tests use this).

    Without ``device`` the learner's saved Device setting is used, else ``auto``.
    """
    from homl_tui.course import load_course
    from homl_tui.paths import data_paths, default_lessons_dir
    from homl_tui.store import Store, StoreError, Workspace
    from homl_tui.store.db import chosen_device
    from homl_tui.ui.context import AppContext

    paths = data_paths(data_dir)
    lessons = Path(lessons_dir).resolve() if lessons_dir else default_lessons_dir()
    course = load_course(lessons, cache_dir=paths.cache)
    notes: list[str] = []
    store: Store | None = None
    try:
        store = Store(paths.db)
    except StoreError as exc:
        notes.append(f"Progress will not be saved: {exc}")
    except OSError as exc:
        notes.append(f"Progress will not be saved: {exc.strerror or exc}")
    else:
        if store.notice:
            notes.append(store.notice)
    device = chosen_device(device, store)
    context = AppContext(
        course=course,
        store=store,
        workspace=Workspace(paths.workspace),
        device=device,
        data_dir=course.data_dir,
        home=paths.root,
    )
    return HomlApp(context, notes)


def launch(args: argparse.Namespace) -> int:
    """Run the TUI with ``args.lessons``, ``args.data_dir`` and ``args.device``; exit status.

    A terminal that cannot show it is refused with a message (status 1); an output
    encoding without the app's marks and borders gets ASCII look-alikes.
    """
    reason = unsupported(os.environ)
    if reason:
        print(reason, file=sys.stderr)
        return 1
    for stream in (sys.__stdout__, sys.__stderr__):
        degrade_to_ascii(stream)
    app = create_app(
        getattr(args, "lessons", None),
        getattr(args, "data_dir", None),
        getattr(args, "device", None),
    )
    try:
        app.run()
    finally:
        if app.context.store is not None:
            app.context.store.close()
    return app.return_code or 0
