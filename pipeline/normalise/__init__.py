"""Ordered passes that repair PDF-extracted text and build the document model."""
