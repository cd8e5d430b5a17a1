"""Finding and reading the config file, and the Python range taken from pyproject.toml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from compatrix._config import PythonRange, config_from_dict, load_config
from compatrix._pythons import PythonVersion
from compatrix.errors import ConfigError

PY = PythonVersion.parse
SUITE = '[suites.httpx]\npackage = "httpx"\n'


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(*args: object, **kwargs: object) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(*args, **kwargs)  # type: ignore[arg-type]
    return info.value


# --- discovery -------------------------------------------------------------------------------


def test_compatrix_toml_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "compatrix.toml", 'python = ">=3.9"\n' + SUITE)
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert (config.path, config.root) == (path, tmp_path)
    assert [s.name for s in config.suites] == ["httpx"]


def test_compatrix_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.compatrix]\npython = ">=3.10"\n')
    path = write(tmp_path, "compatrix.toml", 'python = ">=3.9"\n')
    config = load_config(directory=tmp_path)
    assert config.path == path
    assert config.python.specifier == SpecifierSet(">=3.9")


def test_pyproject_with_tool_compatrix(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "sdk"\nrequires-python = ">=3.9"\n'
        '[tool.compatrix]\nlock = "ci/compatrix.lock"\n'
        '[tool.compatrix.suites.httpx]\npackage = "httpx"\nnum-versions = 2\n',
    )
    config = load_config(directory=tmp_path)
    assert config.path == path
    assert config.lock_path == tmp_path / "ci/compatrix.lock"
    assert config.suites[0].policy.num_versions == 2
    assert config.python == PythonRange(specifier=SpecifierSet(">=3.9"), source="pyproject.toml")


def test_pyproject_without_tool_compatrix_is_not_a_config(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "sdk"\n[tool.ruff]\nline-length = 90\n')
    error = error_of(directory=tmp_path)
    assert error.problems == (
        (
            "no compatrix.toml, and no pyproject.toml with a [tool.compatrix] table, in "
            f"{tmp_path} (use --config PATH to name the file)"
        ),
    )


def test_nothing_to_find(tmp_path: Path) -> None:
    assert str(error_of(directory=tmp_path)).startswith("invalid configuration: no compatrix.toml")


def test_explicit_path_is_relative_to_the_directory(tmp_path: Path) -> None:
    path = write(tmp_path, "ci/matrix.toml", 'python = ">=3.9"\nlock = "matrix.lock"\n')
    config = load_config(Path("ci/matrix.toml"), directory=tmp_path)
    assert (config.path, config.root) == (path, tmp_path / "ci")
    assert config.lock_path == tmp_path / "ci/matrix.lock"


def test_explicit_pyproject_needs_tool_compatrix(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", '[project]\nname = "sdk"\n')
    error = error_of(path)
    assert (error.problems, error.source) == (("no [tool.compatrix] table",), str(path))


def test_explicit_path_missing(tmp_path: Path) -> None:
    error = error_of(tmp_path / "nope.toml")
    assert error.problems == ("cannot read the file: No such file or directory",)
    assert error.source == str(tmp_path / "nope.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "compatrix.toml"
    path.write_bytes(b'python = "\xff"\n')
    error = error_of(path)
    assert error.problems == ("not UTF-8 text (invalid start byte)",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            'python = ">=3.9"\n[suites.x]\npackage = \n',
            "invalid TOML at line 3, column 11: Invalid value",
            id="missing-value",
        ),
        pytest.param(
            'python = ">=3.9"\npython = ">=3.10"\n',
            "invalid TOML at line 2, column 18: Cannot overwrite a value",
            id="duplicate-key",
        ),
        pytest.param(
            'python = ">=3.9',
            "invalid TOML at the end of the file: Unterminated string",
            id="unterminated-string",
        ),
    ],
)
def test_toml_syntax_error_names_line_and_column(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, "compatrix.toml", text)
    error = error_of(directory=tmp_path)
    assert (error.problems, error.source) == ((problem,), str(path))
    assert str(error) == f"invalid configuration in {path}: {problem}"


def test_syntax_error_in_the_pyproject_it_needs(tmp_path: Path) -> None:
    write(tmp_path, "compatrix.toml", SUITE)
    pyproject = write(tmp_path, "pyproject.toml", "[project\n")
    error = error_of(directory=tmp_path)
    assert error.source == str(pyproject)
    assert error.problems[0].startswith("invalid TOML at line 1, column 9:")


def test_pyproject_not_read_when_not_needed(tmp_path: Path) -> None:
    write(tmp_path, "compatrix.toml", 'python = ">=3.9"\nfree-threaded = false\n')
    write(tmp_path, "pyproject.toml", "[project\n")
    assert load_config(directory=tmp_path).python.specifier == SpecifierSet(">=3.9")


# --- the Python range from pyproject.toml ---------------------------------------------------


def _project(requires: str | None = None, *classifiers: str) -> str:
    lines = ["[project]", 'name = "sdk"']
    if requires is not None:
        lines.append(f"requires-python = {requires!r}")
    lines.append("classifiers = [" + ", ".join(repr(c) for c in classifiers) + "]")
    return "\n".join(lines) + "\n"


def _python(minor: int) -> str:
    return f"Programming Language :: Python :: 3.{minor}"


STABLE = "Programming Language :: Python :: Free Threading :: 3 - Stable"
RESILIENT = "Programming Language :: Python :: Free Threading :: 4 - Resilient"
BETA = "Programming Language :: Python :: Free Threading :: 2 - Beta"


@pytest.mark.parametrize(
    ("pyproject", "expected", "free_threaded_all"),
    [
        pytest.param(
            _project(">=3.9"),
            PythonRange(specifier=SpecifierSet(">=3.9"), source="pyproject.toml"),
            False,
            id="requires-python",
        ),
        pytest.param(
            _project(None, "Programming Language :: Python :: 3", _python(11), _python(10)),
            PythonRange(listed=(PY("3.10"), PY("3.11")), source="pyproject.toml"),
            False,
            id="classifiers",
        ),
        pytest.param(
            _project(">=3.9", _python(8), _python(9), _python(10)),
            PythonRange(
                specifier=SpecifierSet(">=3.9"),
                listed=(PY("3.8"), PY("3.9"), PY("3.10")),
                source="pyproject.toml",
            ),
            False,
            id="both",
        ),
        pytest.param(
            _project(">=3.9", "Programming Language :: Python :: 2.7", _python(4), _python(9)),
            PythonRange(
                specifier=SpecifierSet(">=3.9"), listed=(PY("3.9"),), source="pyproject.toml"
            ),
            False,
            id="unknown-classifiers-ignored",
        ),
        pytest.param(
            _project(">=3.13", STABLE),
            PythonRange(specifier=SpecifierSet(">=3.13"), source="pyproject.toml"),
            True,
            id="free-threading-stable",
        ),
        pytest.param(
            _project(">=3.13", RESILIENT),
            PythonRange(specifier=SpecifierSet(">=3.13"), source="pyproject.toml"),
            True,
            id="free-threading-resilient",
        ),
        pytest.param(
            _project(">=3.13", BETA),
            PythonRange(specifier=SpecifierSet(">=3.13"), source="pyproject.toml"),
            False,
            id="free-threading-beta-is-not-enough",
        ),
    ],
)
def test_python_range_from_pyproject(
    tmp_path: Path, pyproject: str, expected: PythonRange, free_threaded_all: bool
) -> None:
    write(tmp_path, "pyproject.toml", pyproject)
    write(tmp_path, "compatrix.toml", SUITE)
    config = load_config(directory=tmp_path)
    assert config.python == expected
    assert (config.free_threaded, config.free_threaded_all) == ((), free_threaded_all)


def test_both_in_pyproject_resolve_to_the_intersection(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", _project(">=3.9", _python(8), _python(9), _python(10)))
    write(tmp_path, "compatrix.toml", SUITE)
    config = load_config(directory=tmp_path)
    assert config.python.resolve(date(2026, 1, 1)) == (PY("3.9"), PY("3.10"))


def test_config_overrides_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", _project(">=3.8", _python(8), STABLE))
    write(tmp_path, "compatrix.toml", 'python = ["3.12", "3.14"]\nfree-threaded = false\n')
    config = load_config(directory=tmp_path)
    assert config.python == PythonRange(listed=(PY("3.12"), PY("3.14")), source="config")
    assert (config.free_threaded, config.free_threaded_all) == ((), False)


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        pytest.param(
            {"compatrix.toml": SUITE},
            "python: not set, and there is no pyproject.toml to take the project's Python range "
            'from; set it, for example python = ">=3.9"',
            id="no-pyproject",
        ),
        pytest.param(
            {"compatrix.toml": SUITE, "pyproject.toml": _project(None, "Typing :: Typed")},
            "python: not set, and pyproject.toml has neither project.requires-python nor "
            "'Programming Language :: Python :: 3.X' classifiers; set it, for example "
            'python = ">=3.9"',
            id="pyproject-without-pythons",
        ),
        pytest.param(
            {"compatrix.toml": SUITE, "pyproject.toml": _project(">=3.8,<")},
            "pyproject.toml: project.requires-python: invalid specifier '>=3.8,<'",
            id="pyproject-invalid-requires-python",
        ),
        pytest.param(
            {"pyproject.toml": _project(">=3.8,<") + "[tool.compatrix]\n"},
            "project.requires-python: invalid specifier '>=3.8,<'",
            id="tool-compatrix-invalid-requires-python",
        ),
        pytest.param(
            {"compatrix.toml": SUITE, "pyproject.toml": _project(">=3.8", _python(6), _python(7))},
            "python: the Python classifiers of pyproject.toml (3.6, 3.7) and its requires-python "
            "'>=3.8' have no Python in common",
            id="pyproject-empty-intersection",
        ),
        pytest.param(
            {"pyproject.toml": _project(None) + "[tool.compatrix]\n"},
            "tool.compatrix.python: not set, and pyproject.toml has neither "
            "project.requires-python nor 'Programming Language :: Python :: 3.X' classifiers; "
            'set it, for example python = ">=3.9"',
            id="tool-compatrix-without-pythons",
        ),
    ],
)
def test_python_range_cannot_be_determined(
    tmp_path: Path, files: dict[str, str], problem: str
) -> None:
    for name, text in files.items():
        write(tmp_path, name, text)
    assert error_of(directory=tmp_path).problems == (problem,)


# --- config_from_dict and the free-threaded builds -------------------------------------------


def test_from_dict_without_files() -> None:
    root = Path("/srv/project")
    config = config_from_dict(
        {
            "python": ["3.13", "3.14"],
            "tox": {"file": "tox.toml"},
            "suites": {"x": {"package": "x"}},
        },
        path=root / "compatrix.toml",
        pyproject={"project": {"classifiers": [STABLE]}},
    )
    assert (config.root, config.tox.file, config.tox.format) == (root, root / "tox.toml", "toml")
    assert config.free_threaded_all is True


@pytest.mark.parametrize(
    ("data", "today", "pythons"),
    [
        pytest.param(
            {"python": ">=3.12", "free-threaded": True},
            date(2025, 8, 1),
            ("3.12", "3.13"),
            id="true-before-3.14-final",
        ),
        pytest.param(
            {"python": ">=3.12", "free-threaded": True},
            date(2025, 11, 1),
            ("3.12", "3.13", "3.14", "3.14t"),
            id="true-after-3.14-final-skips-experimental-3.13t",
        ),
        pytest.param(
            {"python": ">=3.12", "free-threaded": ["3.13", "3.14"]},
            date(2025, 11, 1),
            ("3.12", "3.13", "3.13t", "3.14", "3.14t"),
            id="listed-experimental-build",
        ),
        pytest.param(
            {"python": ">=3.12", "free-threaded": ["3.14"]},
            date(2025, 8, 1),
            ("3.12", "3.13"),
            id="listed-but-not-yet-released",
        ),
        pytest.param(
            {"python": ["3.13", "3.14", "3.15"], "free-threaded": True},
            date(2025, 1, 1),
            ("3.13", "3.14", "3.14t", "3.15", "3.15t"),
            id="true-on-a-listed-range",
        ),
    ],
)
def test_pythons_with_free_threaded_builds(
    data: dict[str, object], today: date, pythons: tuple[str, ...]
) -> None:
    config = config_from_dict(data, path=Path("/p/compatrix.toml"))
    assert config.pythons(today) == tuple(PY(p) for p in pythons)
