"""Nothing vanishes silently: an index answer with no files, a suite that loses every pick,
or a config that leaves a suite nothing to test ends in one clear error and leaves every
file as it was, unless the user says it is true (``--accept-empty``, ``allow-empty``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.index_server import JSON_V1, IndexServer

from compatrix._lock._format import loads_lock

from ._project import CONFIG, Index, Rel, day, minors, project, run, snapshot

PAGE = "/simple/alpha/"


def _index(*, alpha: list[Rel] | None = None) -> Index:
    return Index(
        packages={
            "alpha": alpha
            if alpha is not None
            else [Rel("0.9.0", day(2023, 1, 10)), *minors(1, 6, start=day(2023, 3, 1))],
            "beta": [*minors(2, 5, start=day(2024, 1, 5))],
        }
    )


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return _index().write(tmp_path / "index")


def _updated(root: Path, server: IndexServer, *extra: str) -> Path:
    result = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache", *extra)
    assert result.code == 0, result.err
    return root


EMPTY_ANSWERS = [
    pytest.param(
        "text/html", b"<html><body><h1>Access denied</h1></body></html>", id="html-access-denied"
    ),
    pytest.param(
        JSON_V1,
        json.dumps({"meta": {"api-version": "1.1"}, "name": "alpha", "files": []}).encode(),
        id="json-no-files",
    ),
    pytest.param(
        "text/html",
        b'<html><body><a href="../../files/alpha-1.0.0.tar.gz"\n<a href="../../files/alpha-1.1',
        id="html-unclosed-anchors",
    ),
]


@pytest.mark.parametrize(("content_type", "body"), EMPTY_ANSWERS)
def test_an_answer_with_no_files_is_refused_and_changes_nothing(
    tmp_path: Path, index: Path, content_type: str, body: bytes
) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        _updated(root, server)
        before = snapshot(root)
        server.fail(PAGE, body=body, headers={"Content-Type": content_type}, times=None)
        result = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
    assert result.code == 3
    assert result.err.splitlines()[-1] == (
        f"error: the index's page {server.index_url}alpha/ lists no file of alpha, where the "
        "lock records 6 releases with files: answered with 200 but no file: taken for an "
        "index fault (an error or login page, a truncated listing); nothing was written. If "
        "that is the project's true state, accept it with "
        "`compatrix update --accept-empty alpha`"
    )
    assert "Traceback" not in result.err
    assert snapshot(root) == before
    assert run("-C", str(root), "check").code == 0


def test_accept_empty_records_the_empty_page_and_later_runs_accept_it(
    tmp_path: Path, index: Path
) -> None:
    root = project(tmp_path / "proj")
    empty = json.dumps({"meta": {"api-version": "1.1"}, "name": "alpha", "files": []}).encode()
    with IndexServer(index) as server:
        _updated(root, server)
        server.fail(PAGE, body=empty, headers={"Content-Type": JSON_V1}, times=None)
        _updated(root, server, "--accept-empty", "alpha")
        lock = loads_lock((root / "compatrix.lock").read_text())
        assert lock.packages["alpha"].releases == ()
        assert "alpha-v" not in (root / "tox.ini").read_text()
        again = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
    # Nothing left to lose: the next update takes the page as it is, with a warning.
    assert again.code == 0, again.err
    assert "alpha: no release of alpha can be tested (the index lists no releases)" in again.err
    assert run("-C", str(root), "generate").code == 0
    assert run("-C", str(root), "check").code == 0


@pytest.mark.parametrize(
    "name", [pytest.param("alpha", id="suite-name"), pytest.param("Alpha", id="package-name")]
)
def test_accept_empty_takes_a_suite_or_a_package(tmp_path: Path, index: Path, name: str) -> None:
    root = project(tmp_path / "proj", config=CONFIG.replace("[suites.alpha]", "[suites.a]"))
    empty = json.dumps({"meta": {"api-version": "1.1"}, "name": "alpha", "files": []}).encode()
    with IndexServer(index) as server:
        _updated(root, server)
        server.fail(PAGE, body=empty, headers={"Content-Type": JSON_V1}, times=None)
        result = run(
            "-C",
            str(root),
            "update",
            "--index-url",
            server.index_url,
            "--accept-empty",
            "a" if name == "alpha" else name,
        )
    assert result.code == 0, result.err


def test_accept_empty_names_a_suite_or_a_package_of_the_config(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    result = run("-C", str(root), "update", "--offline", "--accept-empty", "alhpa")
    assert result.code == 2
    assert result.err == (
        "error: no suite named 'alhpa' in compatrix.toml; did you mean 'alpha'? "
        "(nor a package any suite tests)\n"
    )


def test_a_suite_that_loses_every_pick_is_refused(tmp_path: Path) -> None:
    releases = [*minors(1, 3, start=day(2023, 3, 1))]
    root = project(tmp_path / "proj")
    with IndexServer(_index(alpha=releases).write(tmp_path / "index")) as server:
        _updated(root, server)
    before = snapshot(root)
    yanked = [Rel(r.version, r.uploaded, yanked="broken") for r in releases]
    with IndexServer(_index(alpha=yanked).write(tmp_path / "yanked")) as server:
        refused = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
        assert snapshot(root) == before
        assert refused.code == 3
        assert refused.err.splitlines()[-1] == (
            "error: suite alpha had 3 picks and now has nothing to test: no release of alpha "
            "can be tested (3 yanked): a suite that loses every pick is taken for an index "
            "fault; nothing was written. If that is true, accept it with "
            "`compatrix update --accept-empty alpha` (this run only) or with allow-empty = "
            "true on the suite (always)"
        )
        (root / "compatrix.toml").write_text(
            CONFIG.replace('test-path = "tests/alpha"', "allow-empty = true")
        )
        allowed = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
    assert allowed.code == 0, allowed.err
    assert "warning: alpha: no release of alpha can be tested (3 yanked)" in allowed.err
    assert loads_lock((root / "compatrix.lock").read_text()).picks["alpha"] == ()


def test_a_new_suite_with_nothing_to_test_yet_is_a_warning(tmp_path: Path, index: Path) -> None:
    """Only a suite that *loses* its picks is refused: one that never had any warns."""
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        result = run(
            "-C", str(root), "update", "--index-url", server.index_url, "--as-of", "2023-06-15"
        )
    assert result.code == 0, result.err
    assert (
        "warning: beta: no release of beta can be tested (none was uploaded by as-of 2023-06-15)"
        in result.err
    )


CONFIG_CAUSES = [
    pytest.param(
        (
            'min-version = "1.0"',
            'min-version = "7.0"',
            "min-version 7.0 is newer than every release of alpha (the newest is 1.5.0)",
        ),
        id="min-version-above-every-release",
    ),
    pytest.param(
        (
            'test-path = "tests/alpha"',
            'python = "<3.8"',
            (
                "no release of alpha can be tested: the suite restriction '<3.8' admits none "
                "of the project's Pythons"
            ),
        ),
        id="python-admits-no-project-python",
    ),
]


@pytest.mark.parametrize("case", CONFIG_CAUSES)
@pytest.mark.parametrize("command", ["update", "generate", "check"])
def test_a_config_that_leaves_a_suite_nothing_to_test_names_the_cause(
    tmp_path: Path, index: Path, case: tuple[str, str, str], command: str
) -> None:
    old, new, cause = case
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        _updated(root, server)
        before = snapshot(root)
        (root / "compatrix.toml").write_text(CONFIG.replace(old, new))
        argv = ["-C", str(root), command]
        if command == "update":
            argv += ["--index-url", server.index_url, "--no-cache"]
        result = run(*argv)
        assert result.code == 2
        assert result.err.splitlines()[-1] == (
            f"error: invalid configuration in {root / 'compatrix.toml'}: suites.alpha: "
            f"nothing to test: {cause}; correct the suite, or set allow-empty = true to "
            "accept a suite without envs"
        )
        assert "index lists no releases" not in result.err
        assert {k: v for k, v in snapshot(root).items() if k != "compatrix.toml"} == {
            k: v for k, v in before.items() if k != "compatrix.toml"
        }
        (root / "compatrix.toml").write_text(CONFIG.replace(old, new + "\nallow-empty = true"))
        allowed = run(*argv)
    assert allowed.code == (1 if command == "check" else 0), allowed.err
    assert f"warning: alpha: {cause}" in allowed.err


def test_a_config_without_suites_is_refused(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        _updated(root, server)
        before = snapshot(root)
        (root / "compatrix.toml").write_text(CONFIG.split("[defaults]")[0] + "[suites]\n")
        update = run("-C", str(root), "update", "--index-url", server.index_url)
    generate = run("-C", str(root), "generate")
    problem = (
        f"error: invalid configuration in {root / 'compatrix.toml'}: suites: no suite is "
        "configured: add a [suites.NAME] table per package\n"
    )
    assert (update.code, update.err.splitlines()[-1] + "\n") == (2, problem)
    assert (generate.code, generate.err) == (2, problem)
    del before["compatrix.toml"]
    assert {k: v for k, v in snapshot(root).items() if k != "compatrix.toml"} == before


def test_local_versions_are_never_candidates(tmp_path: Path) -> None:
    alpha = [
        *minors(1, 3, start=day(2023, 3, 1)),
        Rel("99.0+zqx9.local", day(2024, 10, 1)),
    ]
    root = project(tmp_path / "proj")
    with IndexServer(_index(alpha=alpha).write(tmp_path / "index")) as server:
        result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    lock = loads_lock((root / "compatrix.lock").read_text())
    assert lock.picks["alpha"] == ("1.0.0", "1.1.0", "1.2.0")
    assert "99.0+zqx9.local" in [r.version for r in lock.packages["alpha"].releases]
    explained = json.loads(run("-C", str(root), "explain", "alpha", "--format", "json").out)
    (local,) = (r for r in explained["releases"] if r["version"] == "99.0+zqx9.local")
    assert (local["reason"], local["detail"]) == (
        "local-version",
        "local version label '+zqx9.local': not for a public index",
    )
    # A lock that remembers one as a pick is handled the same way.
    data = json.loads((root / "compatrix.lock").read_text())
    data["picks"]["alpha"] = ["1.0.0", "99.0+zqx9.local"]
    (root / "compatrix.lock").write_text(json.dumps(data))
    generate = run("-C", str(root), "generate")
    assert generate.code == 0, generate.err
    assert "zqx9" not in (root / "tox.ini").read_text()


def test_every_empty_answer_is_named_in_one_error(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        _updated(root, server)
        for name in ("alpha", "beta"):
            empty = {"meta": {"api-version": "1.1"}, "name": name, "files": []}
            server.fail(
                f"/simple/{name}/",
                body=json.dumps(empty).encode(),
                headers={"Content-Type": JSON_V1},
                times=None,
            )
        result = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
    assert result.code == 3

    def fault(name: str, count: int) -> str:
        page = f"{server.index_url}{name}/"
        where = f"where the lock records {count} releases with files"
        return f"  - the index's page {page} lists no file of {name}, {where}"

    assert result.err.splitlines()[-4:] == [
        (
            "error: answered with 200 but no file: taken for an index fault (an error or "
            "login page, a truncated listing); nothing was written:"
        ),
        fault("alpha", 6),
        fault("beta", 5),
        (
            "If that is the project's true state, accept it with "
            "`compatrix update --accept-empty alpha --accept-empty beta`"
        ),
    ]
