"""Start-up objects out of the garbage collector's way, for long-lived processes.

The app is a long-lived server: the modules, classes and tables loaded at start-up live as long
as the process. CPython's cyclic collector still walks every one of them in each full (oldest
generation) collection, and a page that builds many objects (the department dashboard of a
large department: tens of thousands of rows) triggers such collections in the middle of its run.
gc.freeze() moves everything alive now into a permanent generation the collector no longer
walks (what the CPython documentation recommends for servers, after start-up); objects made later
are collected as before. Measured in docs/performance.md (department dashboard).
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Collect what start-up left as garbage, then freeze the rest (once, after start-up)."""
    gc.collect()
    gc.freeze()
