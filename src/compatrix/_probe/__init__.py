"""Probe: install and import the (release, Python) pairs the Python-support rule is unsure
of, in throwaway envs, and record what happened in the lock as evidence."""

from __future__ import annotations

from compatrix._probe._run import ProbeResult, run_probes, today
from compatrix._probe._select import Floor, ProbeTask, probe_tasks

__all__ = ["Floor", "ProbeResult", "ProbeTask", "probe_tasks", "run_probes", "today"]
