"""User-facing errors.

Every failure a user can cause (bad arguments, unreadable input, no
repository) is a :class:`CodemapError`. The CLI prints its message as one
line on stderr and exits with status 2; nothing else ever reaches the user
as a traceback.
"""

from __future__ import annotations


class CodemapError(Exception):
    """An error the user can act on: printed as one line, exit status 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        from codemap.safe import inert_line

        # messages quote user input (paths, revisions, names): whatever it holds, a message
        # stays one line and carries no escape sequence, in the CLI and the UI alike
        message = inert_line(message)
        super().__init__(message)
        self.message = message


class UsageError(CodemapError):
    """The command line asked for something that cannot be done."""


class InputError(CodemapError):
    """An input file (trace, coverage data, tour, config) is unusable."""


class NotARepositoryError(CodemapError):
    """A git repository is needed and there is none."""


class GitError(CodemapError):
    """git failed or a revision does not exist."""


class IndexBusyError(CodemapError):
    """Another codemap process holds the index lock for too long."""


class Cancelled(CodemapError):
    """The user interrupted the work (Ctrl-C); nothing was half-written."""

    exit_code = 130
