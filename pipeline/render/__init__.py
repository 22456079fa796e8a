"""Writers: the model to Markdown, HTML, PDF editions and EPUB."""
