"""`python -m briefgen` runs the command line."""

from .cli.commands import main

main()
