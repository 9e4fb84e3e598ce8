"""The one error type users see: a one-line message plus a hint on what to do about it."""

from __future__ import annotations

import errno


class NotedeckError(Exception):
    """A problem with the user's input or environment, reported without a traceback."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def os_hint(exc: OSError, fix: str) -> str:
    """The hint for a failed write: a full disk says so (permissions are not the problem there),
    anything else gets `fix`, the advice for the file at hand."""
    if exc.errno in _FULL:
        return "the disk is full: free some space and run it again"
    return fix
