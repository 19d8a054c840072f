"""The Textual app: course catalog, lesson screen, editor, output, live metrics and rollouts.

Only this package imports Textual. It never imports torch, sklearn, gymnasium or
numpy: learner code runs in child processes (:mod:`homl_tui.runtime`), and the
UI only reads their events. Heavy optional modules (plotext) are imported lazily.
"""
