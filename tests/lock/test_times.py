"""Times in the lock and on index pages: ISO-8601 read into UTC, written with ``Z``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from compatrix._time import format_time, parse_time

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2024-12-06T15:37:21Z", datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC), id="z"),
        pytest.param(
            "2024-12-06T15:37:21z", datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC), id="lower-z"
        ),
        pytest.param(
            "2024-12-06T15:37:21+00:00", datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC), id="utc"
        ),
        pytest.param(
            "2024-12-06T16:37:21+01:00",
            datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC),
            id="offset-is-converted",
        ),
        pytest.param(
            "2024-12-06T15:37:21", datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC), id="naive-is-utc"
        ),
        pytest.param(
            "2020-05-01T12:00:00.12+02:00",
            datetime(2020, 5, 1, 10, 0, 0, 120000, tzinfo=UTC),
            id="two-fraction-digits",
        ),
        pytest.param(
            "2020-05-01T12:00:00.1234567Z",
            datetime(2020, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
            id="seven-fraction-digits",
        ),
    ],
)
def test_parse_time(text: str, expected: datetime) -> None:
    value = parse_time(text)
    assert value == expected
    assert value.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2024-13-01T00:00:00Z", id="month-13"),
        pytest.param("yesterday", id="words"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(
            datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC), "2024-12-06T15:37:21Z", id="seconds"
        ),
        pytest.param(
            datetime(2024, 12, 6, 15, 37, 21, 5, tzinfo=UTC),
            "2024-12-06T15:37:21.000005Z",
            id="microseconds",
        ),
        pytest.param(
            datetime(2024, 12, 6, 16, 37, 21, tzinfo=timezone(timedelta(hours=1))),
            "2024-12-06T15:37:21Z",
            id="another-offset",
        ),
        pytest.param(
            datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), "0999-01-02T03:04:05Z", id="three-digit-year"
        ),
    ],
)
def test_format_time_reads_back(value: datetime, text: str) -> None:
    assert format_time(value) == text
    assert parse_time(text) == value
