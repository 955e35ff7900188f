"""briefgen: sourced policy memos from a shared YAML store of claims."""

__version__ = "0.1.0"
