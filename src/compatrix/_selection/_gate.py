"""The first reason, from the project page and the config alone, not to consider a release
(docs/selection.md, "Candidates": every reason before ``no-supported-python``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from compatrix._config import Suite
from compatrix._lock import Release, cutoff_of
from compatrix._selection._model import SkipReason
from compatrix._time import format_time

__all__ = ["Gate", "Skip", "age", "days"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Skip:
    """Why a release is not picked, as ``explain`` shows it."""

    reason: SkipReason
    detail: str


_LISTED_WITHOUT_FILES = Skip(reason="no-files", detail="listed without files")
_NOT_INSTALLABLE = Skip(reason="no-files", detail="no sdist or wheel pip could install")
_DEV_RELEASE = Skip(reason="post-or-dev-release", detail="dev release")
_POST_RELEASE = Skip(reason="post-or-dev-release", detail="post-release")


def age(delta: timedelta) -> str:
    """``3 days 4 h``, ``5 h 12 min``: a release's age for humans."""
    if delta.days >= 1:
        unit = "day" if delta.days == 1 else "days"
        return f"{delta.days} {unit} {delta.seconds // 3600} h"
    seconds = max(int(delta.total_seconds()), 0)
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def days(delta: timedelta) -> str:
    """``1 day``, ``2.5 days``: a duration from the config."""
    count = delta / timedelta(days=1)
    shown = f"{count:g}"
    return f"{shown} day" if shown == "1" else f"{shown} days"


class Gate:
    """Gives a release's first reason not to be considered, None when it has none. Made
    once per suite: the details that do not depend on the release are made once too."""

    __slots__ = ("_below", "_cooldown", "_cutoff", "_exclude", "_include", "_min", "_now", "_out")

    def __init__(self, suite: Suite, *, now: datetime, as_of: date | None) -> None:
        self._now = now
        self._cutoff = cutoff_of(as_of) if as_of is not None else None
        self._cooldown = suite.policy.cooldown
        self._min = suite.min_version
        self._below = Skip(reason="below-min-version", detail=f"below min-version {self._min}")
        self._include = suite.include
        self._out = Skip(reason="not-included", detail=f"not in include '{self._include}'")
        self._exclude = suite.exclude

    def __call__(self, release: Release) -> Skip | None:
        version = release.parsed
        if version is None:
            return Skip(reason="invalid-version", detail=f"{release.version!r} is not PEP 440")
        if not (release.sdist or release.wheel_tags):
            return _LISTED_WITHOUT_FILES if release.files == 0 else _NOT_INSTALLABLE
        if release.yanked:
            why = f": {release.yanked_reason}" if release.yanked_reason else ""
            return Skip(reason="yanked", detail=f"yanked{why}")
        if version.is_devrelease:
            return _DEV_RELEASE
        if version.is_postrelease:
            return _POST_RELEASE
        if self._min is not None and version < self._min:
            return self._below
        if self._include is not None and not self._include.contains(version, prereleases=True):
            return self._out
        for rule in self._exclude:
            if rule.versions.contains(version, prereleases=True):
                return Skip(reason="excluded", detail=rule.reason)
        return self._timely(release)

    def _timely(self, release: Release) -> Skip | None:
        """After the as-of date, or still in its cooldown?"""
        uploaded = release.uploaded
        cutoff = self._cutoff
        if cutoff is not None:
            if uploaded is None:
                return Skip(reason="after-as-of", detail="no upload time, and as-of is set")
            if uploaded >= cutoff:
                as_of = (cutoff - timedelta(days=1)).date().isoformat()
                detail = f"uploaded {format_time(uploaded)}, after as-of {as_of}"
                return Skip(reason="after-as-of", detail=detail)
        now = self._now
        if uploaded is not None and now - uploaded < self._cooldown:
            detail = (
                f"uploaded {format_time(uploaded)}, {age(now - uploaded)} before "
                f"{format_time(now)}; cooldown is {days(self._cooldown)}"
            )
            return Skip(reason="cooldown", detail=detail)
        return None
