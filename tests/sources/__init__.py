"""Tests of briefgen.sources."""
