"""Zip files with sorted names, fixed dates and modes: the same bytes every time."""

from __future__ import annotations

import io
import os
import zipfile


def zip_bytes(files: dict, stamp: tuple) -> bytes:
    """A zip of ``files`` (name → bytes, or a function giving them) with sorted names, fixed dates and modes."""
    buf = io.BytesIO()
    _write(buf, files, stamp)
    return buf.getvalue()


def write_zip(path: str | os.PathLike, files: dict, stamp: tuple) -> None:
    """:func:`zip_bytes` written to ``path``, each entry made only when it is written."""
    with open(path, "wb") as fh:
        _write(fh, files, stamp)


def _write(fh, files: dict, stamp: tuple) -> None:
    with zipfile.ZipFile(fh, "w") as zf:
        for name in sorted(files):
            data = files[name]
            _zwrite(zf, name, data() if callable(data) else data, stamp)


def _zwrite(zf: zipfile.ZipFile, name: str, data: bytes, stamp: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
