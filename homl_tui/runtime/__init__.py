"""Running learner code: a child process per run, events on a dedicated pipe.

``runner`` (parent side) starts and watches runs; ``worker`` (child side) is
the process entry point; ``events`` is the wire format.
"""
