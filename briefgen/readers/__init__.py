"""Readers: workspace files, read into located values, then records, then the workspace."""
