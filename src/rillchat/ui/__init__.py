"""The full-screen Textual interface. The only package in Rill that imports Textual."""
