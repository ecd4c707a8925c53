"""Ready-made ingest sources for known public data sets, and helpers preparing their files."""
