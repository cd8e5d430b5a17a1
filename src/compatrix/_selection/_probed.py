"""The evidence recorded about a suite's releases: the lock's probes, a newer patch's failed
probe standing for the older patches of its minor, and the suite's ``add-python``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from compatrix._config import Suite
from compatrix._lock import Probe, Release
from compatrix._pythons import PythonVersion
from compatrix._selection._picks import minor_key
from compatrix._support import Evidence, Probed

__all__ = ["recorded_evidence"]


def recorded_evidence(
    suite: Suite, probes: Mapping[str, Mapping[str, Probe]], releases: Sequence[Release]
) -> tuple[dict[str, Evidence], Evidence | None]:
    """Per version, the evidence recorded about it; and the suite's ``add-python`` alone,
    for the versions without any (None when the suite adds no Python).

    ``releases`` (in version order) are those a failed probe may speak for, and speak from:
    the suite's releases that its gate lets through."""
    added = tuple((PythonVersion.parse(p), reason) for p, reason in suite.add_python.items())
    own = {
        version: {
            PythonVersion.parse(python): Probed(
                PythonVersion.parse(python), p.outcome == "imports", p.day, p.detail
            )
            for python, p in pythons.items()
        }
        for version, pythons in probes.items()
    }
    inferred = _inferred(own, releases)
    by_version: dict[str, Evidence] = {}
    for version in sorted({*own, *inferred}):
        probed = {**inferred.get(version, {}), **own.get(version, {})}
        by_version[version] = Evidence(
            probes=tuple(probed[python] for python in sorted(probed)), added=added
        )
    return by_version, Evidence(added=added) if added else None


def _inferred(
    own: Mapping[str, Mapping[PythonVersion, Probed]], releases: Sequence[Release]
) -> dict[str, dict[PythonVersion, Probed]]:
    """The failed probes that stand for older patches: on each Python, a release without a
    probe of its own takes the outcome of the nearest newer patch of its (major, minor)
    probed there when that probe failed. Patches add support for a new Python; they do not
    take it away, so an older patch is not expected to import where a newer one fails, and
    selection does not step down to it one probe at a time."""
    inferred: dict[str, dict[PythonVersion, Probed]] = {}
    nearest: dict[PythonVersion, tuple[str, Probed]] = {}
    minor: tuple[int, int, int] | None = None
    for release in reversed(releases):  # newest first; legacy versions (unparsed) last
        if release.parsed is None:
            continue
        key = minor_key(release.parsed)
        if key != minor:
            minor, nearest = key, {}
        mine = own.get(release.version, {})
        for python, (newer, probe) in nearest.items():
            if python not in mine and not probe.imports:
                inferred.setdefault(release.version, {})[python] = Probed(
                    python, False, probe.day, probe.detail, inferred_from=newer
                )
        for python, probe in mine.items():
            nearest[python] = (release.version, probe)
    return inferred
