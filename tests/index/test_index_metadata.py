"""Reading core metadata and choosing the wheel to read it from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from compatrix._index import metadata_candidates, parse_core_metadata, parse_project_page
from compatrix.errors import PackageIndexError

DATA = Path(__file__).parent.parent / "data" / "index"
URL = "https://files.example.org/demo-1.0.0-py3-none-any.whl.metadata"
WHEEL = "demo-1.0.0-py3-none-any.whl"


def stored(filename: str) -> bytes:
    return (DATA / "files" / f"{filename}.metadata").read_bytes()


def test_parse_demo_metadata() -> None:
    data = stored(WHEEL)
    meta = parse_core_metadata(data, url=URL, wheel=WHEEL, advertised=True)
    assert meta.wheel == WHEEL
    assert meta.sha256 == hashlib.sha256(data).hexdigest()
    assert meta.advertised is True
    assert meta.requires_python == ">=3.6"
    assert meta.classifiers == (
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.8",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: Implementation :: CPython",
    )
    # Provides-Extra plus extras only named in markers, normalized; the invalid
    # requirement 'pytz (>dev)' is ignored.
    assert meta.extras == ("fancy-ui", "http")


def test_extras_from_markers_with_other_conditions() -> None:
    name = "demo-1.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    meta = parse_core_metadata(stored(name), url=URL, wheel=name, advertised=False)
    assert meta.extras == ("speedups",)
    assert "Programming Language :: Python :: Free Threading :: 1 - Unstable" in meta.classifiers


def _metadata(*lines: str) -> bytes:
    return "\n".join(["Metadata-Version: 2.1", "Name: demo", "Version: 1.0.0", *lines, ""]).encode()


@pytest.mark.parametrize(
    ("lines", "extras"),
    [
        pytest.param(
            ["Provides-Extra: http", "Requires-Dist: a; extra == 'http'"],
            ("http",),
            id="named-and-provided",
        ),
        pytest.param(
            ["Requires-Dist: a; extra == 'Fancy_UI'", "Requires-Dist: b; 'cli' == extra"],
            ("cli", "fancy-ui"),
            id="named-only-in-markers-normalized",
        ),
        pytest.param(
            ['Requires-Dist: a;extra=="http"', "Requires-Dist: b ; (extra  ==  'x' or extra=='y')"],
            ("http", "x", "y"),
            id="spacing-and-parentheses",
        ),
        pytest.param(
            ["Provides-Extra: http", "Requires-Dist: a (>dev); extra == 'http'"],
            ("http",),
            id="unparseable-but-provided",
        ),
        pytest.param(
            ["Provides-Extra: http", "Requires-Dist: a (>dev); extra == 'new'"],
            ("http",),
            id="unparseable-naming-another-extra-is-ignored",
        ),
        pytest.param(
            ["Requires-Dist: a; extra === 'x'", "Requires-Dist: b; extra != 'y'"],
            (),
            id="other-operators-name-no-extra",
        ),
        pytest.param(
            ["Requires-Dist: a; python_version < '3.9'", "Requires-Dist: extras-lib"],
            (),
            id="no-extra-in-the-marker",
        ),
    ],
)
def test_extras_named_in_markers(lines: list[str], extras: tuple[str, ...]) -> None:
    # Entries whose extras are all known already are not parsed; the result is the same as
    # parsing every entry: Provides-Extra plus the extras valid entries' markers name.
    meta = parse_core_metadata(_metadata(*lines), url=URL, wheel=WHEEL, advertised=False)
    assert meta.extras == extras


def test_unsafe_classifiers_are_dropped() -> None:
    name = "demo-2.0.0rc1-py3-none-any.whl"
    meta = parse_core_metadata(stored(name), url=URL, wheel=name, advertised=False)
    assert meta.classifiers == (
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.13",
        "Programming Language :: Python :: 3.14",
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(b"<html>Not Found</html>", "Metadata-Version", id="html-error-page"),
        pytest.param(b"Metadata-Version: 2.1\nVersion: 1.0.0\n", "no Name", id="no-name"),
        pytest.param(
            b"Metadata-Version: 2.1\nName: other\nVersion: 1.0.0\n", "'other'", id="other-project"
        ),
        pytest.param(
            b"Metadata-Version: 2.1\nName: demo\nVersion: 9.9\n", "'9.9'", id="other-version"
        ),
    ],
)
def test_malformed_metadata_names_the_url(data: bytes, problem: str) -> None:
    with pytest.raises(PackageIndexError) as info:
        parse_core_metadata(data, url=URL, wheel=WHEEL, advertised=False)
    assert URL in str(info.value) and problem in str(info.value)


def _page(filenames: list[str], yanked: set[str] | None = None) -> Any:
    files = [
        {"filename": n, "url": n, "hashes": {}, "yanked": n in (yanked or set())} for n in filenames
    ]
    data = {"meta": {"api-version": "1.1"}, "name": "demo", "files": files}
    return parse_project_page(
        json.dumps(data).encode(),
        content_type="application/vnd.pypi.simple.v1+json",
        url="https://x.org/simple/demo/",
    )


ML = "manylinux_2_17_x86_64.manylinux2014_x86_64"


@pytest.mark.parametrize(
    ("filenames", "best", "yanked"),
    [
        pytest.param(
            [f"demo-1.0-cp312-cp312-{ML}.whl", "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"],
            "demo-1.0-py3-none-any.whl",
            set(),
            id="pure-first",
        ),
        pytest.param(
            ["demo-1.0-cp311-cp311-win_amd64.whl", "demo-1.0-py2.py3-none-any.whl"],
            "demo-1.0-py2.py3-none-any.whl",
            set(),
            id="py2-py3-pure",
        ),
        pytest.param(
            [
                f"demo-1.0-cp311-cp311-{ML}.whl",
                "demo-1.0-cp313-cp313-win_amd64.whl",
                f"demo-1.0-cp313-cp313-{ML}.whl",
                f"demo-1.0-cp312-cp312-{ML}.whl",
                "demo-1.0-cp313-cp313-manylinux_2_17_aarch64.whl",
            ],
            f"demo-1.0-cp313-cp313-{ML}.whl",
            set(),
            id="newest-cpython-manylinux-x86_64",
        ),
        pytest.param(
            ["demo-1.0-cp39-cp39-win_amd64.whl", "demo-1.0-cp38-cp38-macosx_11_0_arm64.whl"],
            "demo-1.0-cp38-cp38-macosx_11_0_arm64.whl",
            set(),
            id="any-wheel-by-name",
        ),
        pytest.param(
            ["demo-1.0-py3-none-any.whl", f"demo-1.0-cp312-cp312-{ML}.whl"],
            f"demo-1.0-cp312-cp312-{ML}.whl",
            {"demo-1.0-py3-none-any.whl"},
            id="yanked-last",
        ),
    ],
)
def test_metadata_candidates(filenames: list[str], best: str, yanked: set[str]) -> None:
    page = _page(filenames, yanked)
    ranked = metadata_candidates(page.files)
    assert ranked[0].filename == best
    assert all(f.kind == "wheel" for f in ranked)
    # deterministic whatever the page order
    assert metadata_candidates(reversed(page.files)) == ranked


def test_the_wheel_named_first_is_tried_second() -> None:
    names = [
        f"demo-1.0-cp312-cp312-{ML}.whl",
        "demo-1.0-cp38-cp38-macosx_11_0_arm64.whl",
        f"demo-1.0-cp311-cp311-{ML}.whl",
        "demo-1.0-cp310-cp310-win_amd64.whl",
    ]
    ranked = [f.filename for f in metadata_candidates(_page(names, set()).files)]
    assert ranked[:3] == [
        f"demo-1.0-cp312-cp312-{ML}.whl",
        "demo-1.0-cp310-cp310-win_amd64.whl",
        f"demo-1.0-cp311-cp311-{ML}.whl",
    ]


def test_no_wheel_no_candidates() -> None:
    page = _page(["demo-1.0.tar.gz", "demo-1.0-py2.7.egg", "demo-1.0-py35+-none-any.whl"])
    assert metadata_candidates(page.files) == []


@pytest.mark.parametrize(
    "newline", [pytest.param(b"\n", id="lf"), pytest.param(b"\r\n", id="crlf")]
)
def test_only_the_header_block_is_read(newline: bytes) -> None:
    lines = [
        b"Metadata-Version: 2.1",
        b"Name: demo",
        b"Version: 1.0.0",
        b"Classifier: Programming Language :: Python :: 3.9",
        b"",
        b"Classifier: Programming Language :: Python :: 2.7",
        b"Provides-Extra: from-the-description",
    ]
    data = newline.join(lines) + newline
    meta = parse_core_metadata(data, url=URL, wheel=WHEEL, advertised=False)
    assert meta.classifiers == ("Programming Language :: Python :: 3.9",)
    assert meta.extras == ()
    assert meta.sha256 == hashlib.sha256(data).hexdigest()  # of the whole file


def _with(*lines: str) -> bytes:
    head = ["Metadata-Version: 2.1", "Name: demo", "Version: 1.0.0", *lines]
    return ("\n".join(head) + "\n\n").encode()


@pytest.mark.parametrize(
    ("lines", "requires_python", "classifiers"),
    [
        pytest.param(["Requires-Python: >=3.8\x1b[31m"], ">=3.8 [31m", (), id="escape-sequence"),
        pytest.param(["Requires-Python: >=3.8\u202e,<4"], ">=3.8 ,<4", (), id="bidi-override"),
        pytest.param(["Requires-Python: \x1b\x07"], None, (), id="nothing-printable"),
        pytest.param(
            [
                "Classifier: Programming Language :: Python :: 3.9\x1b]8;;x\x07",
                "Classifier: Programming Language :: Python :: 3.10",
            ],
            None,
            ("Programming Language :: Python :: 3.10",),
            id="escape-in-a-classifier",
        ),
    ],
)
def test_metadata_strings_are_cleaned_as_page_strings(
    lines: list[str], requires_python: str | None, classifiers: tuple[str, ...]
) -> None:
    meta = parse_core_metadata(_with(*lines), url=URL, wheel=WHEEL, advertised=False)
    assert (meta.requires_python, meta.classifiers) == (requires_python, classifiers)


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        pytest.param(
            ["Requires-Python: >=3." + "0" * 997],
            "Requires-Python is longer than 1000 characters (1001)",
            id="requires-python",
        ),
        pytest.param(
            ["Classifier: Topic :: " + "x" * 192],
            "a classifier is longer than 200 characters",
            id="classifier",
        ),
        pytest.param(
            [f"Classifier: Topic :: {n}" for n in range(501)],
            "more than 500 classifiers (501)",
            id="classifiers",
        ),
        pytest.param(
            [f"Provides-Extra: e{n}" for n in range(1001)],
            "more than 1000 extras (1001)",
            id="extras",
        ),
        pytest.param(
            ["Requires-Dist: x; extra == '" + "e" * 201 + "'"],
            "an extra is longer than 200 characters",
            id="extra-named-in-a-marker",
        ),
    ],
)
def test_over_long_metadata_is_invalid(lines: list[str], problem: str) -> None:
    with pytest.raises(PackageIndexError) as info:
        parse_core_metadata(_with(*lines), url=URL, wheel=WHEEL, advertised=False)
    assert str(info.value).startswith(f"invalid core metadata at {URL}: {problem}")


def test_values_at_the_limits_are_read() -> None:
    lines = [
        "Requires-Python: >=3." + "0" * 996,
        "Classifier: Topic :: " + "x" * 191,
        *(f"Classifier: Topic :: {n}" for n in range(499)),
        *(f"Provides-Extra: e{n}" for n in range(999)),
        "Provides-Extra: " + "e" * 200,
    ]
    meta = parse_core_metadata(_with(*lines), url=URL, wheel=WHEEL, advertised=False)
    assert meta.requires_python is not None and len(meta.requires_python) == 1000
    assert len(meta.extras) == 1000
