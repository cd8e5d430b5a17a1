"""A stand-in for tox in ``bisect`` tests: "runs" the env named with -e by comparing its
version with $FAKE_TOX_FIRST_BAD, and writes a tox --result-json file.

It checks that the tox file given with -c defines the env and pins the package, logs each
env to $FAKE_TOX_LOG, and exits without a result for the version in $FAKE_TOX_CRASH_AT
(an interrupted run).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from packaging.version import Version


def main(argv: list[str]) -> int:
    config = Path(argv[argv.index("-c") + 1])
    env = argv[argv.index("-e") + 1]
    report = Path(argv[argv.index("--result-json") + 1])
    version = env.rsplit("-v", 1)[1]
    text = config.read_text(encoding="utf-8")
    assert f"    {env}\n" in text, text
    assert f"packaging-v{version}: packaging=={version}" in text, text
    with Path(os.environ["FAKE_TOX_LOG"]).open("a", encoding="utf-8") as log:
        log.write(env + "\n")
    if os.environ.get("FAKE_TOX_CRASH_AT") == version:
        return 2
    passed = Version(version) < Version(os.environ["FAKE_TOX_FIRST_BAD"])
    python = [int(p) for p in env.split("-")[0][2:].split(".")]
    entry = {
        "python": {"version_info": [*python, 0, "final", 0]},
        "installed_packages": [f"packaging=={version}"],
        "result": {"success": passed, "exit_code": 0 if passed else 1, "skipped": False},
        "setup": [{"retcode": 0}],
        "test": [{"retcode": 0 if passed else 1, "output": "" if passed else "key=parse\n"}],
    }
    report.write_text(json.dumps({"testenvs": {env: entry}}), encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
