"""Tests of briefgen.speed."""
