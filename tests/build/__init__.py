"""Tests of briefgen.build."""
