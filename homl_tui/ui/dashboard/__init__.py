"""The training dashboard's data (no Textual): runs and their curves, smoothing, diagnosis,
run status. The widget that draws it is :mod:`homl_tui.ui.widgets.dashboard`."""
