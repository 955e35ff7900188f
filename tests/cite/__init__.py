"""Tests of briefgen.cite."""
