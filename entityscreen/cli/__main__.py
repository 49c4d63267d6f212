"""``python -m entityscreen.cli``: the console entry point."""

from . import main

main()
