"""Tests of briefgen.readers."""
