"""`python -m briefgen` runs the command line."""

from .launch import main

main()
