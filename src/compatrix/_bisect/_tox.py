"""Running one env with tox: the suite's env for a release that need not be a pick.

The env is rendered (by the same renderer as ``generate``) into a copy of the project's
tox configuration next to it (``.compatrix-bisect-tox.ini``), so that it gets exactly the
deps, setenv and test path a pick of that release would; tox runs it from there, and the
copy is removed afterwards. The outcome is read from tox's ``--result-json``.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from compatrix._config import Config
from compatrix._fs import read_text
from compatrix._render import render_tox_ini, render_tox_toml
from compatrix._results import RunRecord, parse_tox_json
from compatrix._selection import Env, Matrix, SuiteMatrix, SuiteSelection
from compatrix.errors import ResultsError, UsageError

__all__ = ["ToxRunner"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ToxRunner:
    """Runs one env with tox in the project and says how it went."""

    config: Config
    tox: Sequence[str]
    """How to start tox (``["tox"]``)."""
    environ: Mapping[str, str]
    timeout: float = 3600

    def _tox_text(self, env: Env) -> str:
        suite = self.config.suite(env.suite)
        assert suite is not None
        selection = SuiteSelection(suite=suite.name, picks=(), latest=None, remembered=())
        matrix = Matrix(suites=(SuiteMatrix(suite=suite, selection=selection, envs=(env,)),))
        existing = read_text(self.config.tox.file)
        label = self.config.label(self.config.tox.file)
        if self.config.tox.format == "toml":
            return render_tox_toml(existing, matrix, self.config, path=label)
        return render_tox_ini(existing, matrix, self.config, path=label)

    def __call__(self, env: Env) -> RunRecord:
        suffix = ".toml" if self.config.tox.format == "toml" else ".ini"
        tox_file = self.config.root / f".compatrix-bisect-tox{suffix}"
        tox_file.write_text(self._tox_text(env), encoding="utf-8")
        try:
            with tempfile.TemporaryDirectory(prefix="compatrix-bisect-") as folder:
                report = Path(folder) / "result.json"
                environ = dict(self.environ)
                environ.pop("VIRTUAL_ENV", None)
                try:
                    done = subprocess.run(
                        [
                            *self.tox,
                            "-c",
                            str(tox_file),
                            "-e",
                            env.name,
                            "--result-json",
                            str(report),
                        ],
                        cwd=self.config.root,
                        env=environ,
                        capture_output=True,
                        text=True,
                        timeout=self.timeout,
                        check=False,
                    )
                except FileNotFoundError:
                    msg = f"cannot run tox ({' '.join(self.tox)}): not found; install tox"
                    raise UsageError(msg) from None
                text = read_text(report)
                if text is None:
                    tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
                    msg = f"tox did not run {env.name}: " + " | ".join(tail)
                    raise ResultsError(msg)
                records = [r for r in parse_tox_json(text, source="tox") if r.env == env.name]
        finally:
            tox_file.unlink(missing_ok=True)
        if not records:
            msg = f"tox reported no result for {env.name}"
            raise ResultsError(msg)
        return records[0]
