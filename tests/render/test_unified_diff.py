"""The diff ``compatrix check`` prints."""

from __future__ import annotations

import pytest

from compatrix._render import unified_diff


@pytest.mark.parametrize(
    ("current", "expected", "diff"),
    [
        pytest.param("a\nb\n", "a\nb\n", "", id="equal"),
        pytest.param(
            "a\nb\n",
            "a\nc\n",
            "--- a/tox.ini\n+++ b/tox.ini\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
            id="changed-line",
        ),
        pytest.param(
            None,
            "a\n",
            "--- /dev/null\n+++ b/tox.ini\n@@ -0,0 +1 @@\n+a\n",
            id="missing-file",
        ),
        pytest.param(
            "a\n",
            None,
            "--- a/tox.ini\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n",
            id="file-to-remove",
        ),
        pytest.param(
            "a\nb",
            "a\nb\n",
            "--- a/tox.ini\n+++ b/tox.ini\n@@ -1,2 +1,2 @@\n a\n-b\n"
            "\\ No newline at end of file\n+b\n",
            id="no-newline-at-end",
        ),
        pytest.param(
            "a\r\nb\r\n",
            "a\nb\r\n",
            "--- a/tox.ini\n+++ b/tox.ini\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\r\n",
            id="line-endings-count",
        ),
    ],
)
def test_unified_diff(current: str | None, expected: str | None, diff: str) -> None:
    assert unified_diff("tox.ini", current, expected) == diff
