"""Release version numbers (``YYYY.N``), shared by the release records rule and ``villagecat release``.

>>> parse_version("2026.2") > parse_version("v2026.1")
True
"""

from __future__ import annotations

import re

VERSION_RE = re.compile(r"v?(\d{4})\.([1-9]\d{0,3})")  # fullmatch; at most 9999 releases a year


class ReleaseError(ValueError):
    """A release asked for wrongly (bad version or date, version not increasing, tag exists)."""


def parse_version(version: str) -> tuple[int, int]:
    """``"2026.1"`` or ``"v2026.1"`` → ``(2026, 1)``; :class:`ReleaseError` otherwise."""
    m = VERSION_RE.fullmatch(str(version))
    if not m:
        raise ReleaseError(f"版本号 {version!r} 不符合 YYYY.N（如 2026.1）/ version {version!r} is not YYYY.N (e.g. 2026.1)")
    return int(m.group(1)), int(m.group(2))
