"""What changed in the pins of the envs both locks resolved, for ``compatrix report``.

A weekly update moves the pins of the envs resolved at the lock's day (the latest picks,
``lock-time`` suites); the envs of old picks keep theirs (their era does not move). The
report lists each env whose pins changed, and summarises the changes that many envs
share (``anyio 4.5.0 → 4.6.0 in 8 envs``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from compatrix._lock import Lock
from compatrix._text import plural

__all__ = ["PinChange", "pin_changes", "pins_summary"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PinChange:
    """One distribution of one env: its pin before and after (None: not installed)."""

    env: str
    name: str
    before: str | None
    after: str | None

    @property
    def text(self) -> str:
        if self.before is None:
            return f"+{self.name} {self.after}"
        if self.after is None:
            return f"-{self.name} {self.before}"
        return f"{self.name} {self.before} → {self.after}"


def _versions(pins: Sequence[str]) -> dict[str, str]:
    return dict(pin.split("==", 1) for pin in pins if "==" in pin)


def pin_changes(base: Lock, lock: Lock, envs: Collection[str]) -> tuple[PinChange, ...]:
    """The changed pins of each of ``envs`` (the current matrix's) that both locks
    resolved, by env then distribution name."""
    changes = []
    for env in sorted(envs):
        old, new = base.resolutions.get(env), lock.resolutions.get(env)
        if old is None or new is None or old.status != "ok" or new.status != "ok":
            continue
        before, after = _versions(old.pins), _versions(new.pins)
        for name in sorted(before.keys() | after.keys()):
            if before.get(name) != after.get(name):
                changes.append(
                    PinChange(env=env, name=name, before=before.get(name), after=after.get(name))
                )
    return tuple(changes)


def pins_summary(changes: Sequence[PinChange], *, shown: int = 3) -> str:
    """One line: how many envs and pins changed, and the most shared changes."""
    if not changes:
        return ""
    envs = {change.env for change in changes}
    shared = Counter((c.name, c.before, c.after) for c in changes)
    examples = []
    for (name, before, after), count in sorted(shared.items(), key=lambda i: (-i[1], i[0][0])):
        text = PinChange(env="", name=name, before=before, after=after).text
        examples.append(f"{text} in {plural(count, 'env')}")
        if len(examples) == shown:
            break
    more = len(shared) - len(examples)
    tail = f", and {plural(more, 'other change')}" if more else ""
    return (
        f"Pins: {plural(len(changes), 'pin')} changed in {plural(len(envs), 'env')}: "
        f"{'; '.join(examples)}{tail}."
    )
