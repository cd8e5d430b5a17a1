"""Index URLs and credentials: precedence, redaction, URL userinfo and netrc."""

from __future__ import annotations

import netrc
import os
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from compatrix._urls import redact_url
from compatrix.errors import UsageError

__all__ = [
    "PYPI_SIMPLE",
    "Credentials",
    "IndexAuth",
    "find_credentials",
    "netrc_path",
    "redact_url",
    "resolve_index_url",
    "split_credentials",
]

PYPI_SIMPLE = "https://pypi.org/simple/"

_ENV_PRECEDENCE = ("COMPATRIX_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL")


def resolve_index_url(cli: str | None, config_value: str | None, env: Mapping[str, str]) -> str:
    """The index URL to use, with a trailing slash.

    Precedence: ``--index-url`` > ``COMPATRIX_INDEX_URL`` > ``UV_DEFAULT_INDEX`` >
    ``UV_INDEX_URL`` > ``PIP_INDEX_URL`` > the config's ``index-url`` > PyPI. Empty values
    count as unset. The URL must be ``http`` or ``https``.
    """
    candidates: list[tuple[str, str | None]] = [("--index-url", cli)]
    candidates += [(name, env.get(name)) for name in _ENV_PRECEDENCE]
    candidates.append(("config index-url", config_value))
    for source, value in candidates:
        if value is None or not value.strip():
            continue
        return _checked(value.strip(), source)
    return PYPI_SIMPLE


def _checked(url: str, source: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        msg = f"{source}: not a valid URL: {redact_url(url)!r}"
        raise UsageError(msg) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        msg = f"{source}: the index URL must be an http(s) URL, got {redact_url(url)!r}"
        raise UsageError(msg)
    if parts.query or parts.fragment:
        msg = f"{source}: the index URL must not have a query or fragment: {redact_url(url)!r}"
        raise UsageError(msg)
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True, slots=True, kw_only=True)
class Credentials:
    """HTTP basic credentials for one origin (scheme, host, port)."""

    scheme: str
    host: str
    port: int
    username: str
    password: str
    source: str
    """``URL`` or the netrc file's path, for messages."""

    def __repr__(self) -> str:  # never show the password, even in a debugger
        return f"Credentials(host={self.host!r}, port={self.port}, source={self.source!r})"


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``(url without userinfo, username, password)``; percent-escapes are decoded."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    clean = urlunsplit(parts._replace(netloc=host))
    return clean, unquote(user), unquote(password) if sep else None


def netrc_path(env: Mapping[str, str]) -> Path:
    """The netrc file: ``$NETRC``, else ``~/.netrc`` (``~/_netrc`` on Windows if present)."""
    if env.get("NETRC"):
        return Path(env["NETRC"]).expanduser()
    home = Path.home()
    if os.name == "nt" and not (home / ".netrc").exists():
        return home / "_netrc"
    return home / ".netrc"


def _from_netrc(host: str, path: Path) -> tuple[str, str] | None:
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        # A missing or unreadable netrc is not an error: credentials are optional.
        return None
    if entry is None:
        return None
    login, _account, password = entry
    return login or "", password or ""


def find_credentials(index_url: str, env: Mapping[str, str]) -> tuple[str, Credentials | None]:
    """The index URL without userinfo, and its credentials (from the URL, else netrc)."""
    clean, user, password = split_credentials(index_url)
    parts = httpx.URL(clean)
    if user is not None:
        username, secret, source = user, password or "", "URL"
    else:
        path = netrc_path(env)
        found = _from_netrc(parts.host, path)
        if found is None:
            return clean, None
        (username, secret), source = found, str(path)
    return clean, Credentials(
        scheme=parts.scheme,
        host=parts.host,
        port=_port(parts),
        username=username,
        password=secret,
        source=source,
    )


def _port(url: httpx.URL) -> int:
    if url.port is not None:
        return url.port
    return 443 if url.scheme == "https" else 80


class IndexAuth(httpx.Auth):
    """Basic auth sent only to the index's origin (scheme, host and port)."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials
        basic = httpx.BasicAuth(credentials.username, credentials.password)
        self._header = next(basic.auth_flow(httpx.Request("GET", "http://x/"))).headers[
            "Authorization"
        ]

    def applies_to(self, url: httpx.URL) -> bool:
        c = self._credentials
        return (url.scheme, url.host, _port(url)) == (c.scheme, c.host, c.port)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.applies_to(request.url):
            request.headers["Authorization"] = self._header
        yield request
