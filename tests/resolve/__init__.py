"""Tests of briefgen.resolve."""
