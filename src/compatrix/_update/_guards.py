"""What an update refuses to record: an answer that would empty a project, or a suite
that loses every pick, unless the user says it is true (``--accept-empty`` or the suite's
``allow-empty``); and a config that leaves nothing to test (docs/selection.md, "Nothing to
test")."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from compatrix._config import Config
from compatrix._lock import Lock
from compatrix._selection import Matrix, refuse_empty_by_config
from compatrix._text import plural
from compatrix._urls import redact_url
from compatrix.errors import PackageIndexError

if TYPE_CHECKING:
    from compatrix._index import FetchedPage

__all__ = ["refuse_empty_pages", "refuse_vanishing_suites"]


def refuse_empty_pages(
    previous: Lock, pages: Mapping[str, FetchedPage], *, accepted: Collection[str]
) -> None:
    """PackageIndexError when a project the lock records releases of is answered with a
    page that lists no file: an error or login page served with 200, an empty JSON
    ``files`` list, HTML whose links did not parse. Taken for an index fault, never as the
    project's new state, unless its name is in ``accepted``."""
    faults: dict[str, str] = {}
    for name, fetched in sorted(pages.items()):
        before = previous.packages.get(name)
        if fetched.page.files or name in accepted or before is None:
            continue
        recorded = sum(1 for release in before.releases if release.files)
        if recorded:
            status = fetched.page.status
            state = f" (project status {status!r})" if status else ""
            faults[name] = (
                f"the index's page {redact_url(fetched.page.url)} lists no file of {name}"
                f"{state}, where the lock records {plural(recorded, 'release')} with files"
            )
    if faults:
        msg = _refusal(
            list(faults.values()),
            "answered with 200 but no file: taken for an index fault (an error or login "
            "page, a truncated listing)",
            f"if that is the project's true state, accept it with `{_command(faults)}`",
        )
        raise PackageIndexError(msg)


def refuse_vanishing_suites(
    config: Config,
    previous: Lock,
    matrix: Matrix,
    *,
    in_scope: Collection[str],
    accepted: Collection[str],
) -> None:
    """ConfigError when the config leaves nothing to test (``refuse_empty_by_config``);
    PackageIndexError when a suite in scope had picks in ``previous`` and now has none for
    a reason on the index side (unless it allows being empty or its package is
    ``accepted``)."""
    refuse_empty_by_config(config, matrix)
    lost = [
        m
        for m in matrix.suites
        if m.selection.nothing is not None
        and m.suite.name in in_scope
        and previous.picks.get(m.suite.name)
        and not m.suite.allow_empty
        and m.suite.package not in accepted
    ]
    if lost:
        faults = {
            m.suite.name: f"suite {m.suite.name} had "
            f"{plural(len(previous.picks[m.suite.name]), 'pick')} and now has nothing to "
            f"test: {m.selection.nothing.reason}"
            for m in lost
            if m.selection.nothing is not None
        }
        msg = _refusal(
            list(faults.values()),
            "a suite that loses every pick is taken for an index fault",
            f"if that is true, accept it with `{_command(faults)}` (this run only) or with "
            "allow-empty = true on the suite (always)",
        )
        raise PackageIndexError(msg)


def _command(names: Mapping[str, str]) -> str:
    """The update command that accepts these names."""
    return " ".join(["compatrix update", *(f"--accept-empty {name}" for name in names)])


def _refusal(faults: list[str], why: str, remedy: str) -> str:
    """One fault on one line; several one per line."""
    remedy = remedy[0].upper() + remedy[1:]
    if len(faults) == 1:
        return f"{faults[0]}: {why}; nothing was written. {remedy}"
    lines = "\n".join(f"  - {fault}" for fault in faults)
    return f"{why}; nothing was written:\n{lines}\n{remedy}"
