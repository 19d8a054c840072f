"""Allow ``python -m homl_tui``."""

from homl_tui.cli import main

raise SystemExit(main())
