"""Tests of briefgen.writers."""
