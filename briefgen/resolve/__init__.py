"""Resolve: a brief and the store into a Memo model; every rule of selection, order and notes."""
