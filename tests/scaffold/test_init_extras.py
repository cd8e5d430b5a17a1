"""``init`` from extras: wrapper packages proposed as what they instrument (read from the
index), bounds kept, skipped extras named, and the user's choice."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from tests.cli._project import Index, Rel, day, run
from tests.index_server import IndexServer

from compatrix._cli.cmd_init import _ask
from compatrix._scaffold import choose_suites, propose_suites, render_config
from compatrix._scaffold._extras import instruments_of
from compatrix._toml import tomllib

OTEL_FLASK = "opentelemetry-instrumentation-flask"


@pytest.mark.parametrize(
    ("requirement", "min_version", "include"),
    [
        pytest.param("httpx>=0.23,<1", "0.23", "<1", id="upper-bound-kept"),
        pytest.param("httpx>=0.23,!=0.25.0,<1", "0.23", "!=0.25.0,<1", id="exclusion-kept"),
        pytest.param("redis~=5.0", "5.0", "<6", id="compatible-release"),
        pytest.param("redis~=5.0.1", "5.0.1", "<5.1", id="compatible-patch"),
        pytest.param("redis==5.0.1", None, "==5.0.1", id="pin"),
        pytest.param("redis", None, None, id="no-bounds"),
    ],
)
def test_bounds_are_kept(requirement: str, min_version: str | None, include: str | None) -> None:
    suites, _ = propose_suites({"project": {"optional-dependencies": {"x": [requirement]}}})
    assert [(s.min_version, s.include) for s in suites] == [(min_version, include)]


@pytest.mark.parametrize(
    ("requires_dist", "instruments"),
    [
        pytest.param(
            [
                "opentelemetry-api~=1.12",
                'flask<3.1,>=1.0; extra == "instruments"',
                'werkzeug<3.1; extra == "test"',
            ],
            ["flask<3.1,>=1.0"],
            id="one-framework",
        ),
        pytest.param(
            ['psycopg2>=2.7; extra == "instruments"', 'psycopg2-binary; extra == "instruments"'],
            ["psycopg2>=2.7", "psycopg2-binary"],
            id="two",
        ),
        pytest.param(["requests"], [], id="not-a-wrapper"),
        pytest.param(
            ['httpx>=0.18; extra == "instruments-any"', 'httpx2; extra == "instruments-any"'],
            ["httpx>=0.18", "httpx2"],
            id="alternatives",
        ),
        pytest.param(
            ['flask>=1.0; extra == "instruments"', 'quart; extra == "instruments-any"'],
            ["flask>=1.0"],
            id="instruments-first",
        ),
    ],
)
def test_instruments_of(requires_dist: list[str], instruments: list[str]) -> None:
    assert [str(r) for r in instruments_of(requires_dist)] == instruments


def _sdk(extras: dict[str, list[str]]) -> dict[str, object]:
    return {"project": {"name": "sdk", "optional-dependencies": extras}}


def test_a_wrapper_is_proposed_as_what_it_instruments() -> None:
    pyproject = _sdk({"flask": [f"{OTEL_FLASK}==0.48b0"], "psycopg": ["otel-psycopg"]})
    instruments = {
        OTEL_FLASK: (Requirement("flask>=1.0,<3.1"),),
        "otel-psycopg": (Requirement("psycopg2>=2.7"), Requirement("psycopg2-binary")),
    }
    suites, skipped = propose_suites(pyproject, instruments)
    assert [(s.name, s.package, s.min_version, s.include) for s in suites] == [
        ("flask", "flask", "1.0", "<3.1")
    ]
    wrapper = suites[0].wrapper
    assert wrapper is not None
    assert (wrapper.package, wrapper.include) == (OTEL_FLASK, "==0.48b0")
    assert skipped == (
        (
            "psycopg: otel-psycopg instruments 2 packages (psycopg2, psycopg2-binary): add a "
            "suite for the one to test by hand"
        ),
    )


def test_of_several_instrumented_packages_the_one_named_like_the_extra_is_proposed() -> None:
    pyproject = _sdk({"httpx": ["otel-httpx>=0.50b0"]})
    instruments = {"otel-httpx": (Requirement("httpx>=0.18"), Requirement("httpx2"))}
    suites, skipped = propose_suites(pyproject, instruments)
    assert [(s.name, s.package, s.min_version) for s in suites] == [("httpx", "httpx", "0.18")]
    assert skipped == ()
    text = render_config(pyproject, proposal=(suites, skipped))
    assert tomllib.loads(text)["suites"]["httpx"]["deps"] == {"*": ["otel-httpx>=0.50b0"]}


@pytest.mark.parametrize(
    ("only", "wrappers", "answers", "packages", "left_out"),
    [
        pytest.param(None, False, None, ["flask", "httpx"], [], id="default-every-suite"),
        pytest.param(
            {"httpx"}, False, None, ["httpx"], ["flask: not chosen (--extras)"], id="only"
        ),
        pytest.param(None, True, None, [OTEL_FLASK, "httpx"], [], id="wrappers"),
        pytest.param(
            None,
            False,
            {"flask": "w", "httpx": "n"},
            [OTEL_FLASK],
            ["httpx: not chosen"],
            id="asked",
        ),
    ],
)
def test_the_user_chooses(
    only: set[str] | None,
    wrappers: bool,
    answers: dict[str, str] | None,
    packages: list[str],
    left_out: list[str],
) -> None:
    pyproject = _sdk({"flask": [OTEL_FLASK], "httpx": ["httpx>=0.23"]})
    proposal = propose_suites(pyproject, {OTEL_FLASK: (Requirement("flask>=1.0"),)})
    ask = None if answers is None else (lambda suite: answers[suite.name])
    suites, skipped = choose_suites(proposal, only=only, wrappers=wrappers, ask=ask)
    assert [s.package for s in suites] == packages
    assert list(skipped) == left_out


PYPROJECT = """\
[project]
name = "sdk"
requires-python = ">=3.9"

[project.optional-dependencies]
flask = ["opentelemetry-instrumentation-flask==0.48b0"]
redis = ["redis>=4.2,<6"]
django = ["opentelemetry-instrumentation-django>=0.40b0", "opentelemetry-util-http"]
test = ["pytest"]
"""


def _index() -> Index:
    return Index(
        packages={
            OTEL_FLASK: [
                Rel("0.47b0", day(2024, 6, 1), requires_dist=['flask<3.0; extra == "instruments"']),
                Rel(
                    "0.48b0",
                    day(2024, 8, 1),
                    requires_dist=[
                        "opentelemetry-api~=1.12",
                        'flask<3.1,>=1.0; extra == "instruments"',
                    ],
                ),
                Rel("0.49b0", day(2024, 10, 1), requires_dist=['flask>=2; extra == "instruments"']),
            ],
            "redis": [Rel("5.0.1", day(2024, 1, 1))],
        }
    )


def test_init_asks_the_index_what_a_wrapper_instruments(tmp_path: Path) -> None:
    """The problem: init proposed the wrapper (and dropped the bound of redis<6) and said
    nothing about the django extra (two requirements) or the tooling extra."""
    project = tmp_path / "sdk"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT)
    with IndexServer(_index().write(tmp_path / "index")) as server:
        result = run(
            "-C",
            str(project),
            "init",
            "--index-url",
            server.index_url,
            "--install",
            "compatrix==0.1.0",
        )
    assert result.code == 0, result.err
    assert "could not ask the index" not in result.err, result.err
    text = (project / "compatrix.toml").read_text()
    suites = tomllib.loads(text)["suites"]
    assert suites == {
        # The wrapper version the extra pins (0.48b0) says what it instruments, and every
        # env installs that wrapper, as the extra does.
        "flask": {
            "package": "flask",
            "min-version": "1.0",
            "include": "<3.1",
            "deps": {"*": [f"{OTEL_FLASK}==0.48b0"]},
        },
        "redis": {"package": "redis", "min-version": "4.2", "include": "<6"},
    }
    assert f'# (to test the wrapper itself: package = "{OTEL_FLASK}")' in text
    assert "# - django: 2 requirements (opentelemetry-instrumentation-django, " in text
    assert "# - test: tooling, not an integration" in text


def test_init_offline_proposes_the_extras_as_written(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    result = run("-C", str(tmp_path), "init", "--offline", "--extras", "flask")
    assert result.code == 0, result.err
    suites = tomllib.loads((tmp_path / "compatrix.toml").read_text())["suites"]
    assert suites == {"flask": {"package": OTEL_FLASK, "include": "==0.48b0"}}


def test_unknown_extras_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    result = run("-C", str(tmp_path), "init", "--offline", "--extras", "flask,nope")
    assert result.code == 2
    assert "--extras: no extra naming one package called nope (known: flask, redis)" in result.err
    assert not (tmp_path / "compatrix.toml").exists()


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        pytest.param("\n", "y", id="enter-keeps"),
        pytest.param("no\n", "n", id="no"),
        pytest.param("x\nW\n", "w", id="asks-again-then-wrapper"),
    ],
)
def test_the_question_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: str, answer: str
) -> None:
    pyproject = _sdk({"flask": [OTEL_FLASK]})
    suites, _ = propose_suites(pyproject, {OTEL_FLASK: (Requirement("flask>=1.0,<3.1"),)})
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert _ask(suites[0]) == answer
    question = (
        "extra flask: test flask (from 1.0, only <3.1) as suite 'flask'? "
        f"(w: test {OTEL_FLASK} instead) [Y/n/w] "
    )
    assert capsys.readouterr().err.startswith(question)


def test_an_index_fault_names_the_first_package_every_time(tmp_path: Path) -> None:
    """Every lookup ends before the fault is reported, and the one reported is the first
    in name order: the same message on every run, nothing left running at shutdown."""
    messages = []
    with IndexServer(_index().write(tmp_path / "index")) as server:
        for attempt in range(2):
            project = tmp_path / f"sdk{attempt}"
            project.mkdir()
            (project / "pyproject.toml").write_text(PYPROJECT)
            for name in (OTEL_FLASK, "redis"):
                server.fail(f"/simple/{name}/", status=500, times=10)
            result = run("-C", str(project), "init", "--index-url", server.index_url)
            assert result.code == 0, result.err
            assert "Traceback" not in result.err
            assert "unhandled exception" not in result.err
            messages.append(result.err.replace(str(project), "PROJECT"))
    assert "could not ask the index" in messages[0]
    assert OTEL_FLASK in messages[0]
    assert messages[1:] == messages[:-1]
