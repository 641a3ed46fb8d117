"""Shared fixtures: one headless Chromium per session.

Playwright's sync API allows one running instance per process, so every browser test (site,
releases) uses the ``browser`` fixture defined here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


