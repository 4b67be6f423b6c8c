"""The client's I/O, written once.

The modules of `_async` are the source; their sync twins in `_sync` (the same names, `Async`
dropped) are written from them by ``scripts/spec_pipeline/unasync.py``, which
``scripts/regenerate.py --check`` reruns, so the two can never drift.
"""
