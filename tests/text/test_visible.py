"""Strings shown on a terminal: what a terminal would act on is made visible."""

from __future__ import annotations

import json

import pytest

from compatrix._text import visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("plain text, 3.12", "plain text, 3.12", id="plain"),
        pytest.param("two\nlines\tand a tab", "two\nlines\tand a tab", id="line-ends-and-tabs"),
        pytest.param("crlf\r\nkept", "crlf\r\nkept", id="crlf-line-end"),
        pytest.param("back\rover", "back\\x0dover", id="lone-carriage-return"),
        pytest.param("\x1b[31mred", "\\x1b[31mred", id="colour-sequence"),
        pytest.param("\x1b]0;title\x07", "\\x1b]0;title\\x07", id="osc-title"),
        pytest.param("\x9b31m", "\\x9b31m", id="c1-csi"),
        pytest.param("del\x7f", "del\\x7f", id="del"),
        pytest.param("abc\u202edcb", "abc\\u202edcb", id="right-to-left-override"),
        pytest.param("\u2066isolate\u2069", "\\u2066isolate\\u2069", id="bidi-isolates"),
        pytest.param("a\u2028b", "a\\u2028b", id="line-separator"),
        pytest.param(
            "caf\u00e9 \u2013 \U0001f600", "caf\u00e9 \u2013 \U0001f600", id="unicode-kept"
        ),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_json_strings_read_back_the_same() -> None:
    document = json.dumps({"reason": "x\u202ey"}, ensure_ascii=False)
    assert json.loads(visible(document)) == {"reason": "x\u202ey"}
