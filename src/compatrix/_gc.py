"""Building many small frozen objects quickly: pausing the cyclic garbage collector, and
constructing slotted frozen dataclasses without their generated ``__init__``."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["fast_constructor", "gc_paused"]

T = TypeVar("T")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside the block; restored after it.

    Reading and writing a lock, summarising project pages and selection allocate
    hundreds of thousands of objects that either die young or live until the end of the
    run, and form no reference cycles: collecting while they are made only costs time.
    Reference counting still frees every object as usual; a nested pause, or a collector
    that is already off, is left alone.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def fast_constructor(cls: type[T]) -> Callable[..., T]:
    """A constructor for the frozen, slotted dataclass ``cls`` that sets its slots directly.

    A frozen dataclass' ``__init__`` assigns every field through ``object.__setattr__``;
    for the thousands of releases in a lock, and the records selection keeps for each,
    that is most of the cost. The returned function takes every field by keyword (no
    defaults, no ``__post_init__``: the caller gives final values) and builds an object
    equal to ``cls(**fields)``.
    """
    names: tuple[str, ...] = cls.__slots__  # type: ignore[attr-defined]
    if not all(name.isidentifier() for name in names):  # pragma: no cover - dataclass fields
        msg = f"{cls.__name__} has slots that are not identifiers"
        raise TypeError(msg)
    # Like dataclasses, the function is generated: one call per slot, nothing looked up.
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope.update({f"set_{name}": getattr(cls, name).__set__ for name in names})
    lines = [f"def make(*, {', '.join(names)}):", "    instance = new(cls)"]
    lines += [f"    set_{name}(instance, {name})" for name in names]
    lines.append("    return instance")
    exec("\n".join(lines), scope)  # noqa: S102 - the source is built from field names only
    make: Callable[..., T] = scope["make"]
    make.__doc__ = f"``{cls.__name__}(**fields)``, built through its slots."
    return make
