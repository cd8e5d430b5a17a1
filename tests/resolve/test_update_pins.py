"""``compatrix update`` pins every pinned env, for real: tox says what each env installs, uv
resolves it against an index on loopback, in the pick's own era; an env that would build
extension code drops its Python with the evidence in ``explain``; an update with nothing
new resolves nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.cli._project import run, snapshot
from tests.index_server import IndexServer

from compatrix._probe import ProbeResult, ProbeTask
from compatrix._resolve import ResolveRequest

from ._index import Dist, Index

COMPILED = ["cp312-cp312-manylinux_2_28_x86_64"]

INDEX = Index(
    [
        Dist("web", "1.0", "2024-01-10", requires=["helper"]),
        Dist("web", "1.1", "2024-03-01", requires=["helper"]),
        Dist("web", "2.0", "2024-06-01", requires=["helper>=2"]),
        Dist("web", "2.1", "2024-09-01", requires=["helper>=2", "native"]),
        Dist("helper", "1.0", "2023-12-01"),
        # After web 1.1's era (web 2.0 appeared 2024-06-01, + 30 days): web 1.x keep 1.0.
        Dist("helper", "2.0", "2024-08-15"),
        # Compiled for CPython 3.12 only: on 3.9 its sdist would need a build.
        Dist("native", "1.0", "2024-02-01", wheels=COMPILED),
    ]
)

CONFIG = """\
python = ["3.9", "3.12"]

[defaults]
cooldown = 0
num-versions = 2

[suites.web]
package = "web"
"""

TOX_INI = """\
[tox]
env_list =

[testenv]
skip_install = true
deps =
commands = python -c pass
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexServer]:
    root = INDEX.write(tmp_path_factory.mktemp("index"))
    with IndexServer(root, advertise_metadata=True) as running:
        yield running


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    monkeypatch.setenv("COMPATRIX_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "proj"
    project.mkdir()
    (project / "compatrix.toml").write_text(CONFIG)
    (project / "tox.ini").write_text(TOX_INI)
    return project


def _one_suite_on_39(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str, *, num_versions: int
) -> Path:
    """A project testing ``package`` on 3.9 only, without a latest env, with its caches."""
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    monkeypatch.setenv("COMPATRIX_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "proj"
    project.mkdir()
    (project / "compatrix.toml").write_text(
        f'python = ["3.9"]\n\n[defaults]\ncooldown = 0\nnum-versions = {num_versions}\n'
        f'latest-env = false\n\n[suites.{package}]\npackage = "{package}"\n'
    )
    (project / "tox.ini").write_text(TOX_INI)
    return project


def _but_fetch_times(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` with the lock's ``fetched-at`` times taken out: the lock records when each
    page was read, and the rest of it is byte for byte the same."""
    lock = re.sub(rb'"fetched-at": "[^"]*"', b"", files["compatrix.lock"])
    return {**files, "compatrix.lock": lock}


def _resolutions(root: Path) -> dict[str, dict[str, object]]:
    data = json.loads((root / "compatrix.lock").read_text())
    return dict(data["resolutions"])


def test_update_pins_each_env_in_its_era_and_drops_what_would_build(
    root: Path, server: IndexServer
) -> None:
    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err

    records = _resolutions(root)
    pins = {env: tuple(r["pins"]) for env, r in records.items() if r["status"] == "ok"}
    assert pins == {
        "py3.9-web-v1.0": ("helper==1.0", "web==1.0"),
        "py3.12-web-v1.0": ("helper==1.0", "web==1.0"),
        "py3.9-web-v1.1": ("helper==1.0", "web==1.1"),
        "py3.12-web-v1.1": ("helper==1.0", "web==1.1"),
        "py3.12-web-v2.1": ("helper==2.0", "native==1.0", "web==2.1"),
    }
    assert records["py3.9-web-v1.1"]["cut"] == "2024-07-01"
    assert records["py3.9-web-v1.1"]["why"] == "1.1's era: 2.0 appeared 2024-06-01, + 30 days"
    broken = records["py3.9-web-v2.1"]
    assert broken["status"] == "not-installable"
    assert broken["reason"] == "no wheel of native 1.0 for cp39; its sdist needs a build"

    tox_ini = (root / "tox.ini").read_text()
    assert "py3.12-web-v2.1" in tox_ini
    assert "py3.9-web-v2.1" not in tox_ini
    assert "web-v1.0,web-v1.1,web-v2.1: UV_CONSTRAINT={toxinidir}/constraints/{env_name}.txt" in (
        tox_ini
    )
    constraint = (root / "constraints" / "py3.12-web-v2.1.txt").read_text()
    assert constraint.splitlines()[3:] == ["helper==2.0", "native==1.0", "web==2.1"]
    assert sorted(p.name for p in (root / "constraints").iterdir()) == sorted(
        f"{env}.txt" for env in pins
    )

    explained = run("-C", str(root), "explain", "web", "--format", "json")
    data = json.loads(explained.out)
    (latest,) = (p for p in data["picks"] if p["version"] == "2.1")
    assert latest["pythons"] == ["3.12"]
    (py39,) = (v for v in latest["verdicts"] if v["python"] == "3.9")
    assert py39["evidence"][0] == (
        "not installable: no wheel of native 1.0 for cp39; its sdist needs a build"
    )


def test_a_probe_that_installed_the_pick_outweighs_the_build_rule(
    root: Path, server: IndexServer
) -> None:
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    before = _resolutions(root)
    assert before.pop("py3.9-web-v2.1")["status"] == "not-installable"
    # What ``compatrix probe`` records when web 2.1 installed (native built) and imported.
    lock = root / "compatrix.lock"
    data = json.loads(lock.read_text())
    data["probes"] = {"web": {"2.1": {"3.9": {"outcome": "imports", "date": "2026-12-03"}}}}
    lock.write_text(json.dumps(data, indent=2) + "\n")

    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    records = _resolutions(root)
    record = records["py3.9-web-v2.1"]
    assert record["status"] == "ok"
    assert record["pins"] == ["helper==2.0", "native==1.0", "web==2.1"]
    assert record["why"].endswith(
        "no wheel of native 1.0 for cp39; its sdist needs a build, built: the pick installed "
        "and imported on 3.9 when probed on 2026-12-03"
    )
    # Only the probed env was resolved again; every other record is as it was.
    assert {env: r for env, r in records.items() if env != "py3.9-web-v2.1"} == before
    assert "py3.9-web-v2.1" in (root / "tox.ini").read_text()
    assert (root / "constraints" / "py3.9-web-v2.1.txt").is_file()
    assert run("-C", str(root), "check").code == 0


def test_allow_builds_lets_an_env_build_a_listed_sdist(root: Path, server: IndexServer) -> None:
    (root / "compatrix.toml").write_text('allow-builds = ["Native"]\n' + CONFIG)
    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    record = _resolutions(root)["py3.9-web-v2.1"]
    assert record["status"] == "ok"
    assert record["pins"] == ["helper==2.0", "native==1.0", "web==2.1"]
    assert record["why"].endswith("; native 1.0 built from its sdist: allow-builds")
    assert "py3.9-web-v2.1" in (root / "tox.ini").read_text()
    assert run("-C", str(root), "check").code == 0


@pytest.mark.parametrize(
    ("allow", "status"),
    [
        pytest.param("", "not-installable", id="needs-a-build"),
        pytest.param('allow-builds = ["native"]\n', "ok", id="allowed"),
    ],
)
def test_allow_builds_lists_the_suites_own_package(
    root: Path, server: IndexServer, allow: str, status: str
) -> None:
    """A pick that comes only as an sdist on a Python (psycopg2 on Linux) is the env's own
    build: listing the suite's package keeps that Python."""
    config = allow + CONFIG + '\n[suites.native]\npackage = "native"\n'
    (root / "compatrix.toml").write_text(config)
    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    assert _resolutions(root)["py3.9-native-v1.0"]["status"] == status
    assert ("py3.9-native-v1.0" in (root / "tox.ini").read_text()) is (status == "ok")


TWO_SUITES = (
    CONFIG
    + """
[suites.helper]
package = "helper"
"""
)


@pytest.mark.parametrize(
    ("allow", "warned"),
    [
        pytest.param(
            "",
            "warning: native 1.0: no wheel for cp39; its sdist needs a build: 5 envs of 2 "
            "suites are not installable on 3.9 (if it builds on your CI, add it to allow-builds)",
            id="warned",
        ),
        pytest.param('allow-builds = ["native"]\n', None, id="allowed"),
    ],
)
def test_a_dependency_of_every_env_that_needs_a_build(
    root: Path, server: IndexServer, allow: str, warned: str | None
) -> None:
    """The project's own test requirements (here: tox's deps) need native, which has no
    wheel for 3.9: every suite loses 3.9, and the update names native once."""
    (root / "compatrix.toml").write_text(allow + TWO_SUITES)
    tox_ini = (root / "tox.ini").read_text().replace("deps =\n", "deps =\n    native\n")
    (root / "tox.ini").write_text(tox_ini)
    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "native" in line]
    assert warnings == ([warned] if warned else [])
    statuses = {
        env: r["status"] for env, r in _resolutions(root).items() if env.startswith("py3.9-")
    }
    expected = "not-installable" if warned else "ok"
    assert statuses == dict.fromkeys(
        [
            "py3.9-helper-v1.0",
            "py3.9-helper-v2.0",
            "py3.9-web-v1.0",
            "py3.9-web-v1.1",
            "py3.9-web-v2.1",
        ],
        expected,
    )


def test_probing_a_python_only_a_build_ruled_out_then_update_pins_it(
    root: Path, server: IndexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    probed: list[str] = []

    def fake_run(tasks: Sequence[ProbeTask], **options: Any) -> tuple[ProbeResult, ...]:
        probed.extend(f"{t.version} on {t.python}: {t.why}" for t in tasks)
        return tuple(ProbeResult(task=t, imports=True) for t in tasks)

    monkeypatch.setattr("compatrix._probe.run_probes", fake_run)
    probe = run("-C", str(root), "probe")
    assert probe.code == 0, probe.err
    assert "2.1 on 3.9: ruled out by needs-build" in probed
    assert "py3.9-web-v2.1" in (root / "tox.ini").read_text()
    assert (
        "warning: no current pins for 1 env (like py3.9-web-v2.1): "
        "run `compatrix update` to resolve them"
    ) in probe.err
    assert run("-C", str(root), "check").code == 1

    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    assert _resolutions(root)["py3.9-web-v2.1"]["status"] == "ok"
    assert run("-C", str(root), "check").code == 0


def test_an_update_with_nothing_new_resolves_nothing(root: Path, server: IndexServer) -> None:
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    before = snapshot(root)
    asked = len(server.paths())
    again = run("-C", str(root), "update", "--index-url", server.index_url)
    assert again.code == 0, again.err
    assert _but_fetch_times(snapshot(root)) == _but_fetch_times(before)
    # Only the suite's page was read again: no resolver asked for helper or native.
    assert {p for p in server.paths()[asked:] if "/simple/" in p} == {"/simple/web/"}
    assert run("-C", str(root), "check").code == 0


def test_a_later_lock_day_resolves_only_what_it_can_change(
    root: Path, server: IndexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Envs that resolved in their pick's era keep their records when the lock's day moves
    on; the latest pick's envs (resolved at the lock's day) and the envs no day could
    install are resolved again."""
    from compatrix._resolve import _pin

    update = ("-C", str(root), "update", "--index-url", server.index_url)
    assert run(*update, "--as-of", "2025-01-01").code == 0
    before = _resolutions(root)
    resolved: list[str] = []
    real = _pin.resolve_env

    async def counting(request: ResolveRequest, *args: Any, **options: Any) -> Any:
        resolved.append(request.label)
        return await real(request, *args, **options)

    monkeypatch.setattr(_pin, "resolve_env", counting)
    assert run(*update, "--as-of", "2025-02-01").code == 0
    after = _resolutions(root)
    assert sorted(resolved) == ["py3.12-web-v2.1", "py3.9-web-v2.1"]
    assert after["py3.12-web-v2.1"]["cut"] == "2025-02-01"
    assert {env: r for env, r in after.items() if "v1." in env} == {
        env: r for env, r in before.items() if "v1." in env
    }
    assert run("-C", str(root), "check").code == 0


def test_check_reports_pins_the_config_no_longer_matches(root: Path, server: IndexServer) -> None:
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    config = root / "compatrix.toml"
    config.write_text(config.read_text() + '\n[suites.web.deps]\n"*" = ["helper<3"]\n')
    assert run("-C", str(root), "generate").code == 0
    check = run("-C", str(root), "check")
    assert check.code == 1
    assert re.search(r"no current pins for 5 envs \(like py3\.\d+-web-v1\.0\)", check.err)


PYPROJECT_WITH_TOX = f"""\
[project]
name = "proj"
version = "0"

[tool.compatrix]
{
    CONFIG.replace("[defaults]", "[tool.compatrix.defaults]").replace(
        "[suites.web]", "[tool.compatrix.suites.web]"
    )
}
[tool.compatrix.tox]
file = "pyproject.toml"

[tool.tox]
legacy_tox_ini = \"\"\"
{TOX_INI}\"\"\"
"""


def test_with_config_and_tox_in_pyproject_check_passes_after_update_and_config_edits(
    root: Path, server: IndexServer
) -> None:
    (root / "compatrix.toml").unlink()
    (root / "tox.ini").unlink()
    (root / "pyproject.toml").write_text(PYPROJECT_WITH_TOX)
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    assert run("-C", str(root), "check").code == 0
    pyproject = (root / "pyproject.toml").read_text()
    edited = pyproject.replace("num-versions = 2", "num-versions = 2  # a comment")
    assert edited != pyproject
    (root / "pyproject.toml").write_text(edited)
    check = run("-C", str(root), "check")
    assert check.code == 0, check.err


def test_a_resolver_failure_is_an_index_error_and_writes_nothing(
    root: Path, server: IndexServer
) -> None:
    tox_ini = root / "tox.ini"
    tox_ini.write_text(TOX_INI.replace("deps =\n", "deps =\n    -r missing-requirements.txt\n"))
    before = snapshot(root)
    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 3
    assert re.search(r"error: resolving py3\.\d+-web-v\d\.\d \(Python 3\.\d+\)", result.err)
    assert "missing-requirements.txt" in result.err
    assert snapshot(root) == before


def test_pins_off_resolves_nothing(root: Path, server: IndexServer) -> None:
    config = root / "compatrix.toml"
    config.write_text(config.read_text().replace("cooldown = 0", 'cooldown = 0\npins = "off"'))
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    assert "resolutions" not in json.loads((root / "compatrix.lock").read_text())
    assert not (root / "constraints").exists()
    assert "CONSTRAINT" not in (root / "tox.ini").read_text()
    assert "py3.9-web-v2.1" in (root / "tox.ini").read_text()


@pytest.mark.parametrize(
    ("users_file", "left"),
    [
        pytest.param(False, None, id="only-generated-files: the directory goes"),
        pytest.param(True, ["local.txt"], id="a-users-file: it stays, alone"),
    ],
)
def test_turning_pins_off_removes_the_files_and_the_emptied_directory(
    root: Path, server: IndexServer, users_file: bool, left: list[str] | None
) -> None:
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    directory = root / "constraints"
    assert len(list(directory.iterdir())) == 5
    if users_file:
        (directory / "local.txt").write_text("idna<4\n")
    config = root / "compatrix.toml"
    config.write_text(config.read_text().replace("cooldown = 0", 'cooldown = 0\npins = "off"'))
    generated = run("-C", str(root), "generate")
    assert generated.code == 0, generated.err
    found = sorted(p.name for p in directory.iterdir()) if directory.exists() else None
    assert found == left
    assert run("-C", str(root), "check").code == 0


def test_pins_go_round_until_no_env_is_left_unresolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each round finds the lowest pick not installable on 3.9, and the next release up
    becomes the pick: seven rounds here. Every env the update leaves is resolved, so
    ``check`` agrees with it (rounds used to stop after five, silently)."""
    months = [f"2024-{month:02d}-01" for month in range(1, 9)]
    dists = [Dist("old", f"1.{n}", day, requires=["native"]) for n, day in enumerate(months[:7])]
    index = Index(
        [
            *dists,
            Dist("old", "1.7", months[7]),
            Dist("native", "1.0", "2023-12-01", wheels=COMPILED),
        ]
    )
    project = _one_suite_on_39(tmp_path, monkeypatch, "old", num_versions=2)
    with IndexServer(index.write(tmp_path / "index"), advertise_metadata=True) as server:
        result = run("-C", str(project), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    records = _resolutions(project)
    failed = sorted(env for env, r in records.items() if r["status"] == "not-installable")
    assert failed == [f"py3.9-old-v1.{n}" for n in range(7)]
    assert records["py3.9-old-v1.7"]["status"] == "ok"
    checked = run("-C", str(project), "check")
    assert checked.code == 0, checked.err


def test_records_stay_current_while_the_pins_index_stays(root: Path, server: IndexServer) -> None:
    """The facts read from one URL of the index, then from another (a recorded copy served
    on a new port each run): with ``pins-index-url`` set, the records name that index, so
    the second update resolves nothing and ``check`` agrees."""
    config = root / "compatrix.toml"
    config.write_text(f'pins-index-url = "{server.index_url}"\n' + config.read_text())
    first = server.index_url
    second = first.replace("127.0.0.1", "localhost")
    assert second != first
    assert run("-C", str(root), "update", "--index-url", first).code == 0
    resolved = _resolutions(root)
    asked = len(server.paths())
    again = run("-C", str(root), "update", "--index-url", second)
    assert again.code == 0, again.err
    assert _resolutions(root) == resolved
    # Only the suite's page was read again: no resolver asked for helper or native.
    assert {p for p in server.paths()[asked:] if "/simple/" in p} == {"/simple/web/"}
    assert run("-C", str(root), "check").code == 0


def test_without_pins_index_url_the_facts_index_is_in_the_records(
    root: Path, server: IndexServer
) -> None:
    assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    before = len(server.paths())
    other = server.index_url.replace("127.0.0.1", "localhost")
    again = run("-C", str(root), "update", "--index-url", other)
    assert again.code == 0, again.err
    asked = {p for p in server.paths()[before:] if "/simple/" in p}
    assert {"/simple/helper/", "/simple/native/"} <= asked  # resolved again


def test_the_first_update_is_a_fixed_point_when_a_middle_pick_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The evenly spaced middle pick, 1.3, does not install, so the middle moves to 1.4. A
    next update starts from the picks the first one wrote (stable picks) and never visits
    1.3 again, so it would drop 1.3's record: the first update writes the lock the next one
    would, and an update that finds nothing new leaves it byte for byte."""
    months = [f"2024-{month:02d}-01" for month in range(1, 8)]
    index = Index(
        [
            *(Dist("mid", f"1.{n}", day) for n, day in enumerate(months) if n != 3),
            Dist("mid", "1.3", months[3], requires=["native"]),
            Dist("native", "1.0", "2023-12-01", wheels=COMPILED),
        ]
    )
    project = _one_suite_on_39(tmp_path, monkeypatch, "mid", num_versions=3)
    with IndexServer(index.write(tmp_path / "index"), advertise_metadata=True) as server:
        first = run("-C", str(project), "update", "--index-url", server.index_url)
        assert first.code == 0, first.err
        before = snapshot(project)
        again = run("-C", str(project), "update", "--index-url", server.index_url)
        assert again.code == 0, again.err
    assert sorted(_resolutions(project)) == ["py3.9-mid-v1.0", "py3.9-mid-v1.4", "py3.9-mid-v1.6"]
    assert _but_fetch_times(snapshot(project)) == _but_fetch_times(before)
