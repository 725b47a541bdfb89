"""Run small linear algebra on ONE BLAS thread.

statsmodels' Kalman filter calls BLAS on tiny matrices thousands of times per fit.
OpenBLAS hands each call to its thread pool, and on a busy 2-core machine the
hand-offs cost 10-40x the arithmetic (measured: a 420-day ARIMA fit took 4.1 s with
the default pool and 0.3 s with one thread).  ``threadpoolctl`` is not a dependency,
so this talks to the OpenBLAS copies bundled in the numpy and scipy wheels directly,
best effort: where none is found (Accelerate, MKL, another layout) it does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

_SUFFIXES = ("", "64_")  # scipy's 32-bit-int build, numpy's 64-bit-int build
_LOCK = threading.Lock()
_depth = 0
_saved: list[tuple[object, int]] = []


@functools.cache
def _openblas_controls() -> tuple[tuple[object, object], ...]:
    """(get, set) pairs for every bundled OpenBLAS found beside numpy and scipy."""
    controls = []
    for package in ("numpy", "scipy"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.origin:
            continue
        root = Path(spec.origin).parent
        folders = [root.parent / f"{package}.libs", root / ".libs", root / ".dylibs"]
        for folder in folders:
            for path in sorted(folder.glob("*openblas*")) if folder.is_dir() else ():
                pair = _controls_of(path)
                if pair is not None:
                    controls.append(pair)
    return tuple(controls)


def _controls_of(path: Path) -> tuple[object, object] | None:
    try:
        lib = ctypes.CDLL(str(path))  # already loaded by numpy/scipy: same handle
    except OSError:
        return None
    for suffix in _SUFFIXES:
        getter = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None)
        setter = getattr(lib, f"scipy_openblas_set_num_threads{suffix}", None)
        if getter is not None and setter is not None:
            getter.restype = ctypes.c_int
            setter.argtypes = [ctypes.c_int]
            return getter, setter
    return None


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit the bundled OpenBLAS pools to one thread; restore them on exit (nestable)."""
    global _depth
    with _LOCK:
        if _depth == 0:
            _saved.clear()
            for getter, setter in _openblas_controls():
                _saved.append((setter, getter()))  # type: ignore[operator]
                setter(1)  # type: ignore[operator]
        _depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0:
                for setter, threads in _saved:
                    setter(threads)  # type: ignore[operator]
