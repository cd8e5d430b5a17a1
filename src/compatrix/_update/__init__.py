"""``compatrix update``: read the index, pick, fetch what the picks need, build the new lock.

The pipeline (:func:`run_update`, in ``_run``): fetch the project pages of the packages in
scope (concurrently, one HTTP client) → summarise them as facts (``_facts``) → select
their suites → fetch the core metadata selection wants and select again the suites of
the packages it changed, round after round until nothing more is wanted → the new lock
(``_rounds``) → the new lock's matrix. With ``--offline`` the facts come from the lock.
Nothing is written here: the caller writes the lock and the outputs together.
"""

from __future__ import annotations

from compatrix._update._facts import cut, releases_floor, trim
from compatrix._update._run import (
    ClientFactory,
    Counter,
    ProgressDisplay,
    UpdateRequest,
    UpdateResult,
    run_update,
)

__all__ = [
    "ClientFactory",
    "Counter",
    "ProgressDisplay",
    "UpdateRequest",
    "UpdateResult",
    "cut",
    "releases_floor",
    "run_update",
    "trim",
]
