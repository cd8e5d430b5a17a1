"""Templates shipped as package data (``compatrix/_render/templates``), rendered with jinja2."""

from __future__ import annotations

from compatrix._toml import toml_string

__all__ = ["render_template"]

_JINJA = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
"""Delimiters of variables, blocks and comments."""
_GITHUB = (("[[", "]]"), ("[%", "%]"), ("[#", "#]"))
"""The delimiters of GitHub workflow templates, which leave ``${{ }}`` to GitHub Actions."""


def render_template(name: str, *, github: bool = False, **context: object) -> str:
    """Render the template ``name`` with ``context``; unknown variables are errors.

    Block tags take their line with them; the ``toml`` filter writes a TOML string.
    ``github`` templates use ``[[ ]]``, ``[% %]`` and ``[# #]``.
    """
    from importlib.resources import files  # noqa: PLC0415 - as jinja2

    import jinja2  # noqa: PLC0415 - only a new file is rendered from a template

    (variable, variable_end), (block, block_end), (comment, comment_end) = (
        _GITHUB if github else _JINJA
    )
    source = (files("compatrix._render") / "templates" / name).read_text(encoding="utf-8")
    environment = jinja2.Environment(
        variable_start_string=variable,
        variable_end_string=variable_end,
        block_start_string=block,
        block_end_string=block_end,
        comment_start_string=comment,
        comment_end_string=comment_end,
        autoescape=False,  # noqa: S701 - renders tox configuration, TOML and YAML, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["toml"] = toml_string
    return environment.from_string(source).render(**context)
