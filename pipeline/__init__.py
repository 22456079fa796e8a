"""Publishing pipeline for Swedish party programmes: one source text, three editions."""

__version__ = "0.1.0"
