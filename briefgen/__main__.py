"""`python -m briefgen` runs the command line."""

from .speed.launch import main

main()
