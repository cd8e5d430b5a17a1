"""The Sentry example's hand-written tox.ini part is Sentry's own (its template's text, from
``data/sentry-tox-064542dd-excerpts.ini``), and the migration guide describes toxgen's
``-latest`` envs as Sentry's tox.ini has them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "sentry-python" / "tox.ini").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "migrating-from-toxgen.md").read_text(encoding="utf-8")


def _excerpts() -> dict[str, str]:
    text = (Path(__file__).parent / "data" / "sentry-tox-064542dd-excerpts.ini").read_text(
        encoding="utf-8"
    )
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            current = parts.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return {name: "".join(lines) for name, lines in parts.items()}


SENTRY = _excerpts()


@pytest.mark.parametrize(
    "part",
    [
        pytest.param("envlist", id="env-list-of-the-hand-written-suites"),
        pytest.param("deps", id="deps-of-the-hand-written-suites"),
        pytest.param("testpaths", id="test-paths-of-the-hand-written-suites"),
        pytest.param("tail", id="passenv-commands-and-the-rest"),
    ],
)
def test_the_hand_written_part_is_sentrys(part: str) -> None:
    """common, gevent, integration_deactivation, shadowed_module, asgi, aws_lambda,
    cloud_resource_context, gcp, opentelemetry, otlp and potel, byte for byte."""
    assert SENTRY[part] in EXAMPLE


def test_the_example_requires_tox_uv() -> None:
    requires = EXAMPLE[EXAMPLE.index("requires =") : EXAMPLE.index("envlist =")]
    assert "\n    tox-uv\n" in requires


def test_the_guide_describes_toxgens_latest_envs() -> None:
    """toxgen renders one SUITE-latest env per suite, pinned to its latest pick."""
    assert "-mcp-latest" in SENTRY["latest"]
    assert "mcp-latest: mcp==2.0.0" in SENTRY["latest"]
    assert "no `-latest` envs" not in GUIDE
    assert "`mcp-latest: mcp==2.0.0`" in GUIDE
