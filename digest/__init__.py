"""digest: a static-site generator for fact-checkers."""

__version__ = "0.1.0"
