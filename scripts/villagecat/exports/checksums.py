"""SHA256SUMS: ``<hex>  <name>`` per file, sorted by name (the format ``sha256sum -c`` reads)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256sums(files: dict[str, bytes]) -> bytes:
    """``<hex>  <name>`` per file, sorted by name (the format ``sha256sum -c`` reads)."""
    return "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files)).encode()


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_sha256sums(out_dir: str | os.PathLike, names: list[str]) -> Path:
    """SHA256SUMS of the files ``names`` already written in ``out_dir`` (read back in blocks)."""
    path = Path(out_dir) / "SHA256SUMS"
    path.write_bytes("".join(f"{file_sha256(Path(out_dir) / n)}  {n}\n" for n in sorted(names)).encode())
    return path
