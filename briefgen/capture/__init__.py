"""Capturing claims: from a quote typed at the command line (`claim add`) or from the
highlights an analyst made in a browser (`import` of annotations), into the claim files."""
