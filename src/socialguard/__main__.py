"""`python -m socialguard`: the same command as the `socialguard` entry point, for a checkout or a
virtual environment whose scripts folder is not on PATH."""

from socialguard.cli import main

main(prog_name="socialguard")
