"""Debian's Chromium through Playwright, started one way for every browser test.

A fresh profile each time, the flags this machine's closed network needs
(no background networking, no component updates), service workers blocked.
``offline`` pages may load only ``file:`` and ``data:`` URLs; every request
is recorded, so a test can assert that nothing left the page's folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import require_tool, skip_unless_ci

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextmanager
def chromium(
    profile: Path, *, viewport: tuple[int, int], offline: bool = True, **options: Any
) -> Iterator[tuple[Any, list[str]]]:
    """A browser context and the list of every URL it requested."""
    exe = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_unless_ci("playwright not installed: pip install -e '.[test]'")
    requests: list[str] = []
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=exe,
            headless=True,
            args=FLAGS,
            viewport={"width": viewport[0], "height": viewport[1]},
            offline=offline,
            service_workers="block",
            **options,
        )
        ctx.on("request", lambda req: requests.append(req.url))  # aborted ones too
        if offline:

            def route(r: Any) -> None:
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    r.abort()

            ctx.route("**/*", route)
        try:
            yield ctx, requests
        finally:
            ctx.close()


def watch(page: Any) -> tuple[list[str], list[str]]:
    """Record a page's console errors and uncaught exceptions, and its dialogs
    (dismissed, so a stray ``alert`` cannot block the test)."""
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return errors, dialogs
