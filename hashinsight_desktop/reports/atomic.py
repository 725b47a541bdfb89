"""Write a report to a temporary file beside its destination, then rename it into place.

A crash, a full disk or an exception half-way through a 100,000-row export therefore
never leaves a truncated file under the name the user asked for (nor replaces a good
older one); ``os.replace`` is atomic within one folder on every platform we ship.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hashinsight_desktop.reports.errors import ReportWriteError


def check_writable(path: Path) -> Path:
    """``path`` resolved, or :class:`ReportWriteError` saying why it cannot be written."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ReportWriteError(f"cannot write report to {path}: it is a folder; give a file name")
    if folder.exists() and not folder.is_dir():
        raise ReportWriteError(f"cannot write report to {path}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise ReportWriteError(f"cannot write report to {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReportWriteError(f"cannot write report to {path}: no permission to write in "
                               f"{folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise ReportWriteError(f"cannot write report to {path}: the file is read-only")
    return path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success it replaces ``path``."""
    path = check_writable(path)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ReportWriteError(f"cannot write report to {path}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise ReportWriteError(f"cannot write report to {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
