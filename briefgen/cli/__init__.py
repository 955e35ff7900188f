"""The command line: commands, listings and new workspaces."""
