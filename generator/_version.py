"""notedeck's version: the one place it is written (the build reads it from here, see
pyproject.toml), so the program knows it without scanning the installed distributions."""

__version__ = "0.1.0"
