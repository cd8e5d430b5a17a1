"""The errors compatrix raises.

Every failure the user can act on is a :class:`CompatrixError`. The core never prints or
exits; the command line turns these into one message on stderr and an exit status.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CheckFailed",
    "CompatrixError",
    "ConfigError",
    "LockError",
    "OutputError",
    "PackageIndexError",
    "ResultsError",
    "UsageError",
]


class CompatrixError(Exception):
    """Base class of every error compatrix reports to the user."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(CompatrixError):
    """The command line asked for something impossible (unknown suite, bad date, ...)."""

    exit_code = 2


class ConfigError(CompatrixError):
    """The configuration is invalid. Carries every problem found, each with its path."""

    exit_code = 2

    def __init__(self, problems: Sequence[str], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        if len(self.problems) == 1:
            message = f"invalid configuration{where}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"invalid configuration{where} ({len(self.problems)} problems):\n{lines}"
        super().__init__(message)


class PackageIndexError(CompatrixError):
    """The package index could not be read: unknown package, network failure, bad data."""

    exit_code = 3


class LockError(CompatrixError):
    """The lock file is missing, unreadable, of an unknown format, or lacks a package."""

    exit_code = 4


class OutputError(CompatrixError):
    """A file compatrix renders into cannot be updated (for example broken markers)."""

    exit_code = 5


class ResultsError(CompatrixError):
    """A test-result file (tox ``--result-json``, JUnit XML) or the results file is malformed
    or incomplete; the message names the file and the entry."""

    exit_code = 6


class CheckFailed(CompatrixError):
    """``compatrix check`` found generated files that are not current."""

    exit_code = 1
