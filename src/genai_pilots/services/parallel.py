"""Large reads on a small machine: a second core through fork, and no cyclic collection.

Stdlib only: the audit's driver-only pass uses it without importing SQLAlchemy.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector off while many short-lived rows come and go.

    It would scan them again and again (a quarter of `audit verify`'s time, a third of
    `metrics`') and find nothing, since none of them form cycles.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def can_fork() -> bool:
    """Whether a worker can start as a copy of this process (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def second_core_pays(size: int, from_size: int) -> bool:
    """Whether to split ``size`` items over two processes.

    It pays with two cores, fork, and enough work that one process is not done before a
    second one would have started.
    """
    return can_fork() and (os.cpu_count() or 1) >= 2 and size >= from_size


def halves(items: Sequence[T], lower_share: float = 0.5) -> tuple[Sequence[T], Sequence[T]]:
    """``items`` cut in two, in their order; the lower part holds ``lower_share`` of them."""
    cut = round(len(items) * lower_share)
    return items[:cut], items[cut:]


def one_forked_worker() -> ProcessPoolExecutor:
    """A pool of one worker that starts as a copy of this process."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
