"""Where Sentry's example lives (``examples/sentry-python``)."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sentry-python"
