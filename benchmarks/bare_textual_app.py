"""The baseline for the start-up benchmark: the smallest useful Textual app."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("bare-textual-ready")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
