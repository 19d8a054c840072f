"""The baseline for the start-up benchmark: the smallest useful Textual app.

    python benchmarks/bare_textual_app.py

It draws a header, the text ``bare-textual-ready`` and a footer, and prints no
lines of its own; ``startup.py`` times how long that text takes to appear.
Ctrl+Q quits.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("bare-textual-ready")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
