"""Build: which memos to write from which inputs, their status, and watching for changes."""
