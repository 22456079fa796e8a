"""Checks of finished outputs: the print shop's preflight, EPUB, PDF/UA and the wording in every edition."""
