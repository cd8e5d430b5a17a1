"""Reading and writing compatrix's files so that no failure leaves a half-written set.

A command that writes several files (the lock, tox.ini, workflows) goes through
:func:`write_files_atomically`:

1. every new content is written to a temporary file next to its target (a failure here
   changes nothing);
2. the targets are replaced in the order given (callers put the lock first, so that an
   interruption can only leave a *newer* lock with some *older* outputs, which ``check``
   reports and ``generate`` or the next ``update`` completes), with SIGINT and SIGTERM held
   back until the last file is in place;
3. if replacing a file fails (a read-only or immutable file), the files already replaced
   are put back as they were, so the set stays as it was.

Temporary files are named ``.{target}.{random}.tmp``; those an earlier, killed run left
next to a target are removed by the next write.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FrameType

from compatrix.errors import OutputError

__all__ = ["read_text", "stale_temporaries", "write_files_atomically"]


def read_text(path: Path) -> str | None:
    """The file's text (newlines kept as they are), or None when it does not exist.

    Raises ``OutputError`` naming the file when it exists but cannot be read (no
    permission, a directory, not UTF-8).
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):  # no such file, or a parent is a file
        return None
    except IsADirectoryError:
        msg = f"cannot read {path}: it is a directory"
        raise OutputError(msg) from None
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}"
        raise OutputError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"cannot read {path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise OutputError(msg) from exc


def _real(path: Path) -> Path:
    """Where writing ``path`` must go: the file a symlink points to, else ``path``."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def stale_temporaries(targets: Iterator[Path] | list[Path]) -> list[Path]:
    """Temporary files an interrupted write left next to ``targets`` (``.{target}.*.tmp``),
    target by target, each one's sorted by name.

    Each directory is listed once, however many targets it holds (a pinned project writes
    hundreds of constraint files into one).
    """
    temporaries: dict[Path, list[str]] = {}  # per directory, its names that may be one
    found: list[Path] = []
    for target in targets:
        real = _real(target)
        parent = real.parent
        if parent not in temporaries:
            temporaries[parent] = _temporary_names(parent)
        prefix = f".{real.name}."
        found.extend(
            parent / name
            for name in temporaries[parent]
            if name.startswith(prefix) and len(name) >= len(prefix) + len(".tmp")
        )
    return found


def _temporary_names(directory: Path) -> list[str]:
    """The sorted names in ``directory`` that look like temporaries (``.*.tmp``); none when
    it is not a directory or cannot be listed."""
    if not directory.is_dir():
        return []
    try:
        names = [entry.name for entry in directory.iterdir()]
    except PermissionError:
        return []
    return sorted(n for n in names if n.startswith(".") and n.endswith(".tmp"))


def write_files_atomically(contents: Mapping[Path, str | None]) -> list[Path]:
    """Write (or, for None, remove) several files as one change; return those changed.

    Files are replaced in the order of ``contents``. Files whose content is unchanged are
    not touched (their modification time stays). Raises ``OutputError`` naming the target
    file when one cannot be written; every file is then as it was before the call.
    """
    before = {path: read_text(path) for path in contents}
    changed = {path: text for path, text in contents.items() if before[path] != text}
    for stale in stale_temporaries(list(contents)):
        with contextlib.suppress(OSError):
            stale.unlink()
    if not changed:
        return []
    staged: dict[Path, Path] = {}
    try:
        for path, text in changed.items():
            if text is not None:
                staged[path] = _stage(path, text)
        with _signals_held():
            _commit(changed, staged, before)
    finally:
        for temporary in staged.values():
            with contextlib.suppress(OSError):
                temporary.unlink()
    return list(changed)


def _stage(path: Path, text: str) -> Path:
    """``text`` in a new temporary file next to ``path`` (its target), with its mode."""
    real = _real(path)
    temporary = real.with_name(f".{real.name}.{os.urandom(4).hex()}.tmp")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
        mode = real.stat().st_mode & 0o7777 if real.exists() else 0o644
        temporary.chmod(mode)
    except BaseException as exc:  # an interrupt too: no half-written temporary is left
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            msg = f"cannot write {path}: {exc.strerror or exc}; no file was changed"
            raise OutputError(msg) from exc
        raise
    return temporary


def _commit(
    changed: Mapping[Path, str | None],
    staged: Mapping[Path, Path],
    before: Mapping[Path, str | None],
) -> None:
    """Move the staged files into place in order; on a failure put back what was done."""
    done: list[Path] = []
    for path, text in changed.items():
        try:
            if text is None:
                _real(path).unlink()
            else:
                staged[path].replace(_real(path))
        except OSError as exc:
            restored = _restore(done, before)
            what = "no file was changed" if restored else "some files could not be restored"
            msg = f"cannot write {path}: {exc.strerror or exc}; {what}"
            raise OutputError(msg) from exc
        done.append(path)


def _restore(done: list[Path], before: Mapping[Path, str | None]) -> bool:
    """Put the files in ``done`` back to their content in ``before``; False if one fails."""
    restored = True
    for path in reversed(done):
        text = before[path]
        try:
            if text is None:
                _real(path).unlink()
            else:
                temporary = _stage(path, text)
                temporary.replace(_real(path))
        except (OSError, OutputError):
            restored = False
    return restored


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (the few renames of a commit);
    then an interrupt raises ``KeyboardInterrupt`` and a termination is delivered."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread
        return
    received: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in _HELD}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if signal.SIGTERM in received:
            os.kill(os.getpid(), signal.SIGTERM)
        if signal.SIGINT in received:
            raise KeyboardInterrupt
