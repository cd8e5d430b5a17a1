"""The diff ``compatrix check`` shows for a generated file that is not current."""

from __future__ import annotations

from compatrix._render._regions import split_lines

__all__ = ["unified_diff"]


def unified_diff(path: str, current: str | None, expected: str | None) -> str:
    """A unified diff from ``current`` to ``expected`` (None: the file does not exist, or is
    to be removed).

    Empty when they are equal. Lines keep their own endings; a last line without one is
    followed by ``\\ No newline at end of file`` as in ``diff -u``.
    """
    if current == expected:
        return ""
    import difflib  # noqa: PLC0415 - only a file that is not current needs it

    before = [line.text + line.eol for line in split_lines(current or "")]
    after = [line.text + line.eol for line in split_lines(expected or "")]
    out: list[str] = []
    for line in difflib.unified_diff(
        before,
        after,
        fromfile=f"a/{path}" if current is not None else "/dev/null",
        tofile=f"b/{path}" if expected is not None else "/dev/null",
        lineterm="\n",
    ):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
