"""Tests of briefgen.check."""
