"""The git merge driver: conflicts in the lock and in generated regions are resolved by
regenerating from the merged config; conflicts in the user's own parts are left to git.

``_locks.py`` merges two locks (pure); ``_driver.py`` reads the three commits' config and
lock from git and renders the file being merged.
"""

from __future__ import annotations

from compatrix._merge._driver import MergeFiles, MergeResult, run_merge_driver
from compatrix._merge._locks import merge_locks

__all__ = ["MergeFiles", "MergeResult", "merge_locks", "run_merge_driver"]
