"""The matrix as JSON, for a hand-written GitHub Actions workflow (``fromJSON``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from compatrix._config import Config
from compatrix._render._workflows import plan_partitions, service_fields
from compatrix._selection import Matrix

__all__ = ["matrix_json"]


def matrix_json(matrix: Matrix, config: Config, *, groups: Sequence[str] = ()) -> str:
    """``{"include": [...]}``: one object per matrix entry of the generated workflows.

    Each entry has ``group``, ``python`` (``3.12``, ``3.14t``), ``envs`` (the exact env
    list for ``tox -e``), ``label`` and ``runs-on``; ``container`` and ``services`` (name ->
    ``image``, ``ports``, ``env``, ``options``) when the entry has them. Entries are grouped
    as the workflows group them (``[workflows] jobs-per``, services, runner), but not split
    at ``max-jobs``. ``groups`` keeps only those groups (empty: all). Compact and
    deterministic, ASCII only, one line ending in a newline.
    """
    wanted = set(groups)
    include: list[dict[str, object]] = []
    for group, partitions in plan_partitions(matrix, config).items():
        if wanted and group not in wanted:
            continue
        for partition in partitions:
            for entry in partition.entries:
                item: dict[str, object] = {
                    "group": group,
                    "python": str(entry.python),
                    "envs": ",".join(entry.envs),
                    "label": entry.label,
                    "runs-on": partition.runs_on,
                }
                if partition.container is not None:
                    item["container"] = partition.container
                if partition.services:
                    item["services"] = {s.name: service_fields(s) for s in partition.services}
                include.append(item)
    return json.dumps({"include": include}, separators=(",", ":")) + "\n"
