"""The command line: commands, listings and new workspaces."""

import sys


def main() -> None:
    """Run the `briefgen` command; Ctrl-C while the command line loads is said as the
    command line says it, without a traceback."""
    try:
        from .commands import main as command_line
    except KeyboardInterrupt:
        sys.stderr.write("briefgen: interrupted\n")
        sys.exit(130)
    command_line()
