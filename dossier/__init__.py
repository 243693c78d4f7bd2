"""Static site generator for dossiers of parliamentary questions."""

__version__ = "0.1.0"
