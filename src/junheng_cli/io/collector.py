"""When Python's cyclic garbage collector runs. junheng makes millions of small objects that
hold no reference cycles (cells, rows, result records) and a few things that are full of them
(openpyxl workbooks); the collector walking the former over and over is time lost."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading millions of cells and building hundreds of thousands of result objects sets
    off the cyclic garbage collector over and over (a fifth of the time); nothing here
    makes cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def collector_on_new_objects() -> Iterator[None]:
    """The collector left on for what is made meanwhile (a county report: openpyxl workbooks
    are full of reference cycles), not for what exists already: the modules, tables and
    results (no cycles worth collecting) are set aside instead of being walked again at
    every full collection (a sixth of a report's time). Nothing is done when something else
    has set objects aside already: unfreezing would give back theirs too."""
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()
