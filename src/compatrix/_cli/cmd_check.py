"""``compatrix check``: exit 1 with a diff when a generated file is not current."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, matrix_of, read_lock, warn_outputs
from compatrix._fs import stale_temporaries
from compatrix.errors import CheckFailed

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "check",
        help="exit 1 with a diff when generated files are not current",
        description="Render everything in memory and compare with the files on disk, "
        "including hand edits inside generated regions. Makes no request and writes nothing.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._render import find_drift, plan_outputs  # noqa: PLC0415
    from compatrix._resolve import stale_pins  # noqa: PLC0415
    from compatrix._text import plural  # noqa: PLC0415

    config = load_config(args)
    lock = read_lock(config)
    matrix = matrix_of(config, lock, ui, refuse_empty=True)
    problems = []
    for suite_matrix in matrix.suites:
        for pick in suite_matrix.selection.picks:
            facts = lock.packages[suite_matrix.suite.package]
            release = facts.release(pick.version)
            if release is not None and release.metadata_status == "not-fetched":
                problems.append(
                    f"{config.label(config.lock_path)} has no core metadata for "
                    f"{suite_matrix.suite.package} {pick.version} (picked for "
                    f"{suite_matrix.suite.name}): the lock is older than the config"
                )
    outputs = plan_outputs(config, matrix, resolutions=lock.resolutions)
    warn_outputs(config, outputs, ui)
    tox_text = outputs[config.tox.file]
    if tox_text is not None:
        unpinned = stale_pins(config, matrix, lock, tox_text)
        if unpinned:
            problems.append(
                f"{config.label(config.lock_path)} has no current pins for "
                f"{plural(len(unpinned), 'env')} (like {unpinned[0]}): the config or the "
                "project changed since they were resolved"
            )
    drift = find_drift(config, outputs)
    for item in drift:
        ui.raw(item.diff)
    for problem in problems:
        ui.error(problem)
    if drift or problems:
        names = ", ".join(config.label(d.path) for d in drift)
        what = f"{names} not current" if drift else "lock not current"
        msg = f"{what}: run `compatrix update` (or `compatrix generate` for outputs only)"
        raise CheckFailed(msg)
    stale = stale_temporaries([config.lock_path, *outputs])
    if stale:
        names = ", ".join(config.label(path) for path in stale)
        msg = (
            f"{names}: left from an interrupted write; the next `compatrix update` or "
            "`compatrix generate` removes them"
        )
        raise CheckFailed(msg)
    ui.info("generated files are current")
    return 0
