"""Terminal presentation: tables, progress, messages. Used only by the command line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, TYPE_CHECKING

from compatrix._text import plural, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from compatrix._selection import Matrix

__all__ = ["Progress", "Ui", "escape", "matrix_table", "plural"]


def escape(text: str) -> str:
    """``text`` shown as it is: rich markup escaped, terminal controls made visible (rich
    is imported only when something prints)."""
    from rich.markup import escape as rich_escape  # noqa: PLC0415

    return rich_escape(visible(text))


@dataclass
class Progress:
    """Counts work as it completes; the owner decides how to show it."""

    label: str
    total: int = 0
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    on_change: Callable[[int, int], None] | None = None

    def add(self, count: int = 1) -> None:
        self.total += count
        if self.on_change is not None:
            self.on_change(self.done, self.total)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.on_change is not None:
            self.on_change(self.done, self.total)


class Ui:
    """Where compatrix writes: results to stdout, messages and progress to stderr."""

    def __init__(
        self,
        *,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        verbosity: int = 0,
        width: int | None = None,
    ) -> None:
        self._stdout = stdout if stdout is not None else sys.stdout
        self._stderr = stderr if stderr is not None else sys.stderr
        self._width = width
        self.verbosity = verbosity

    # The consoles are made on first use: importing rich is a good part of a quiet run.
    @cached_property
    def out(self) -> Console:
        from rich.console import Console  # noqa: PLC0415

        return Console(file=self._stdout, width=self._width, highlight=False, soft_wrap=False)

    @cached_property
    def err(self) -> Console:
        from rich.console import Console  # noqa: PLC0415

        return Console(file=self._stderr, width=self._width, highlight=False, soft_wrap=True)

    @property
    def interactive(self) -> bool:
        return self.err.is_terminal

    def print(self, text: str = "", *, markup: bool = False) -> None:
        """A result line on stdout (never shown as markup unless asked)."""
        self.out.print(text if markup else escape(text), soft_wrap=True)

    def raw(self, text: str) -> None:
        """Text on stdout as given (JSON, diffs, Markdown), terminal controls made visible."""
        self._stdout.write(visible(text))
        self._stdout.flush()

    def info(self, text: str) -> None:
        """A message on stderr, hidden by ``--quiet``."""
        if self.verbosity >= 0:
            self.err.print(escape(text))

    def detail(self, text: str) -> None:
        """A message on stderr, shown with ``--verbose``."""
        if self.verbosity > 0:
            self.err.print(escape(text))

    def warn(self, text: str) -> None:
        """A warning on stderr, hidden by ``--quiet`` (which shows only errors)."""
        if self.verbosity >= 0:
            self.err.print(f"[yellow]warning:[/yellow] {escape(text)}")

    def error(self, text: str) -> None:
        self.err.print(f"[bold red]error:[/bold red] {escape(text)}")

    @contextmanager
    def progress(self, label: str) -> Iterator[Progress]:
        """A progress counter: a bar on a terminal, one summary line otherwise."""
        progress = Progress(label=label)
        if self.interactive and self.verbosity >= 0:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn  # noqa: PLC0415
            from rich.progress import Progress as RichProgress  # noqa: PLC0415

            bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=self.err,
                transient=True,
            )
            with bar:
                task = bar.add_task(label, total=None)

                def show(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                progress.on_change = show
                yield progress
        else:
            yield progress
        elapsed = time.perf_counter() - progress.started
        if progress.total:
            self.info(f"{label}: {progress.done}/{progress.total} in {elapsed:.1f} s")


def matrix_table(matrix: Matrix) -> Table:
    """Suites x picked versions x Pythons, one row per pick."""
    from rich.table import Table  # noqa: PLC0415 - only commands that print a table need it

    table = Table(title=None, show_lines=False, header_style="bold")
    table.add_column("suite")
    table.add_column("package")
    table.add_column("version")
    table.add_column("why")
    table.add_column("Pythons")
    for suite_matrix in matrix.suites:
        suite = suite_matrix.suite
        selection = suite_matrix.selection
        first = True
        for pick in selection.picks:
            table.add_row(
                escape(suite.name) if first else "",
                escape(suite.requirement) if first else "",
                escape(str(pick.version)),
                escape(", ".join(pick.roles)),
                escape(" ".join(str(p) for p in pick.pythons)),
            )
            first = False
        if first:
            table.add_row(escape(suite.name), escape(suite.requirement), "-", "no release", "")
    return table
