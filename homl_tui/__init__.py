"""homl-tui: a terminal learning environment for machine learning.

The package is split in a core (``course``, ``checks``, ``runtime``, ``store``,
``grading``) that never imports Textual, and a UI (``ui``) that never imports
torch, scikit-learn or gymnasium. ``cli`` ties both together.
"""

__version__ = "0.1.0"
