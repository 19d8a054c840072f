"""Screens: the course catalog, the lesson workspace and modal dialogs."""
