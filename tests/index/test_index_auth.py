"""Index URL precedence, redaction and credentials."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from compatrix._index import find_credentials, redact_url, resolve_index_url
from compatrix._index._auth import IndexAuth, split_credentials
from compatrix._index._transport import proxy_for
from compatrix.errors import UsageError

ALL_ENV = {
    "COMPATRIX_INDEX_URL": "https://compatrix.example/simple",
    "UV_DEFAULT_INDEX": "https://uv-default.example/simple/",
    "UV_INDEX_URL": "https://uv-index.example/simple/",
    "PIP_INDEX_URL": "https://pip.example/simple/",
}


def without(*names: str) -> dict[str, str]:
    return {k: v for k, v in ALL_ENV.items() if k not in names}


@pytest.mark.parametrize(
    ("cli", "config", "env", "expected"),
    [
        pytest.param(
            "https://cli.example/simple", "https://config.example/", ALL_ENV,
            "https://cli.example/simple/", id="cli-wins",
        ),
        pytest.param(
            None, "https://config.example/", ALL_ENV,
            "https://compatrix.example/simple/", id="compatrix-env",
        ),
        pytest.param(
            None, "https://config.example/", without("COMPATRIX_INDEX_URL"),
            "https://uv-default.example/simple/", id="uv-default-index",
        ),
        pytest.param(
            None, None, without("COMPATRIX_INDEX_URL", "UV_DEFAULT_INDEX"),
            "https://uv-index.example/simple/", id="uv-index-url",
        ),
        pytest.param(
            None, None, {"PIP_INDEX_URL": "https://pip.example/simple/"},
            "https://pip.example/simple/", id="pip-index-url",
        ),
        pytest.param(
            None, "https://config.example/simple", {},
            "https://config.example/simple/", id="config",
        ),
        pytest.param(
            None, None, {"COMPATRIX_INDEX_URL": "  "}, "https://pypi.org/simple/", id="pypi"
        ),
    ],
)  # fmt: skip
def test_index_url_precedence(
    cli: str | None, config: str | None, env: dict[str, str], expected: str
) -> None:
    assert resolve_index_url(cli, config, env) == expected


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("ftp://x.org/simple/", id="ftp"),
        pytest.param("pypi.org/simple", id="no-scheme"),
        pytest.param("https://x.org/simple/?q=1", id="query"),
        pytest.param("https://x.org:port/simple/", id="bad-port"),
    ],
)
def test_invalid_index_url(url: str) -> None:
    with pytest.raises(UsageError, match="PIP_INDEX_URL"):
        resolve_index_url(None, None, {"PIP_INDEX_URL": url})


def test_invalid_index_url_error_hides_credentials() -> None:
    with pytest.raises(UsageError) as info:
        resolve_index_url("ftp://me:hunter2@x.org/", None, {})
    assert "hunter2" not in str(info.value) and "***@x.org" in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://u:p@x.org/simple/", "https://***@x.org/simple/", id="user-pass"),
        pytest.param("https://token@x.org/simple/", "https://***@x.org/simple/", id="token"),
        pytest.param("https://x.org/simple/", "https://x.org/simple/", id="none"),
        pytest.param("https://x.org/a@b/", "https://x.org/a@b/", id="at-in-path"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_split_credentials_decodes_escapes() -> None:
    clean, user, password = split_credentials("https://me%40corp:p%3Ass@x.org:8443/simple/")
    assert (clean, user, password) == ("https://x.org:8443/simple/", "me@corp", "p:ss")


def test_credentials_from_url_win_over_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine x.org login n password from-netrc\n")
    clean, creds = find_credentials("https://u:from-url@x.org/simple/", {"NETRC": str(netrc)})
    assert clean == "https://x.org/simple/"
    assert creds is not None and (creds.username, creds.password) == ("u", "from-url")
    assert "from-url" not in repr(creds)


def test_credentials_from_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine other.org login a password b\nmachine x.org login n password s\n")
    _, creds = find_credentials("https://x.org/simple/", {"NETRC": str(netrc)})
    assert creds is not None and (creds.username, creds.password) == ("n", "s")
    assert creds.source == str(netrc)


@pytest.mark.parametrize(
    "content",
    [pytest.param(None, id="missing"), pytest.param("machine", id="unparseable")],
)
def test_no_usable_netrc_means_no_credentials(tmp_path: Path, content: str | None) -> None:
    netrc = tmp_path / "netrc"
    if content is not None:
        netrc.write_text(content)
    assert find_credentials("https://x.org/simple/", {"NETRC": str(netrc)})[1] is None


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        pytest.param("https://x.org/simple/demo/", True, id="index-host"),
        pytest.param("https://x.org:443/files/a.whl.metadata", True, id="default-port"),
        pytest.param("https://files.x.org/a.whl.metadata", False, id="other-host"),
        pytest.param("http://x.org/simple/demo/", False, id="other-scheme"),
        pytest.param("https://x.org:8443/simple/", False, id="other-port"),
    ],
)
def test_credentials_only_sent_to_the_index_origin(url: str, sent: bool) -> None:
    _, creds = find_credentials("https://u:p@x.org/simple/", {})
    assert creds is not None
    request = httpx.Request("GET", url)
    next(IndexAuth(creds).auth_flow(request))
    assert ("Authorization" in request.headers) is sent


@pytest.mark.parametrize(
    ("url", "env", "expected"),
    [
        pytest.param("https://pypi.org/simple/", {}, None, id="no-proxy-set"),
        pytest.param(
            "https://pypi.org/simple/", {"HTTPS_PROXY": "proxy:3128"}, "http://proxy:3128",
            id="https-proxy",
        ),
        pytest.param(
            "http://mirror/simple/", {"https_proxy": "http://p:1", "ALL_PROXY": "http://a:2"},
            "http://a:2", id="all-proxy",
        ),
        pytest.param(
            "https://pypi.org/simple/", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".pypi.org"},
            None, id="no-proxy-domain",
        ),
        pytest.param(
            "https://pypi.org/simple/", {"HTTPS_PROXY": "http://p:1", "no_proxy": "*"},
            None, id="no-proxy-star",
        ),
        pytest.param(
            "http://127.0.0.1:8080/simple/", {"HTTP_PROXY": "http://p:1"}, None, id="loopback",
        ),
        pytest.param(
            "http://127.0.0.2:8080/simple/", {"HTTP_PROXY": "http://p:1"}, None,
            id="loopback-127/8",
        ),
        pytest.param(
            "http://127.255.255.254/simple/", {"HTTP_PROXY": "http://p:1"}, None,
            id="loopback-127/8-last",
        ),
        pytest.param("http://[::1]:8080/simple/", {"HTTP_PROXY": "http://p:1"}, None, id="ipv6"),
        pytest.param(
            "http://[::ffff:127.0.0.3]/simple/", {"HTTP_PROXY": "http://p:1"}, None,
            id="ipv4-mapped",
        ),
        pytest.param(
            "http://LocalHost:8080/simple/", {"HTTP_PROXY": "http://p:1"}, None, id="localhost",
        ),
        pytest.param(
            "http://128.0.0.1/simple/", {"HTTP_PROXY": "http://p:1"}, "http://p:1",
            id="not-loopback",
        ),
        pytest.param(
            "http://127.example.org/simple/", {"HTTP_PROXY": "http://p:1"}, "http://p:1",
            id="name-starting-with-127",
        ),
    ],
)  # fmt: skip
def test_proxy_for(url: str, env: dict[str, str], expected: str | None) -> None:
    assert proxy_for(httpx.URL(url), env) == expected
