"""Readers: one module per source kind, each producing a Document."""
