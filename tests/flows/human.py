"""The test plays the human: a Chromium with a DevTools port that both autofill and the test
attach to, so the test can click Submit in the very window autofill filled."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from autofill.browser import LAUNCH_ARGS, find_browser

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chrome_with_devtools() -> Iterator[str]:
    """A headless Chromium listening for DevTools on a free loopback port; yields its http URL."""
    exe = find_browser().executable
    assert exe is not None, "tests need a Chromium on disk"
    port = free_port()
    profile = tempfile.mkdtemp(prefix="autofill-chrome-")
    proc = subprocess.Popen(
        [str(exe), "--headless=new", "--no-sandbox", f"--remote-debugging-port={port}",
         f"--user-data-dir={profile}", *LAUNCH_ARGS, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # the DevTools port opens a moment after the process starts
        try:
            urllib.request.urlopen(endpoint + "/json/version", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.1)
    try:
        yield endpoint
    finally:
        proc.kill()
        proc.wait()


def log_in_there(endpoint: str, base: str, platform: str = "joom") -> None:
    """The human logs into the sandbox in their own Chrome (autofill never types a password)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(endpoint)
        page = browser.contexts[0].new_page()
        page.goto(f"{base}/{platform}/login")
        page.get_by_label("Email" if platform == "joom" else "账号").fill("demo@seller.example")
        page.get_by_label("Password" if platform == "joom" else "密码").fill("sandbox-demo")
        page.get_by_role("button", name="Log in" if platform == "joom" else "登录").click()
        page.wait_for_load_state()
        page.close()


@dataclass
class PrefillRun:
    proc: subprocess.Popen[str]
    lines: list[str]

    def wait_for(self, text: str, timeout: float = 90) -> None:
        assert self.proc.stderr is not None
        deadline = time.monotonic() + timeout
        for line in self.proc.stderr:
            self.lines.append(line)
            if text in line:
                return
            if time.monotonic() > deadline:
                break
        raise AssertionError(f"never saw {text!r}; autofill said:\n{''.join(self.lines)}")

    def finish(self, timeout: float = 90) -> tuple[int, str]:
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, "".join(self.lines) + err

    def interrupt(self) -> None:
        self.proc.send_signal(signal.SIGINT)


def start_prefill(workspace_root: Path, case: str, *args: str) -> PrefillRun:
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-m", "autofill", "--workspace", str(workspace_root), "prefill", case,
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )
    return PrefillRun(proc, [])


def click_submit(endpoint: str, button: str, url_part: str) -> None:
    """The human's click, in the tab autofill filled."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(endpoint)
        # an earlier run's tab (its confirmation page) may match the URL too: take the form's
        pages = [p for c in browser.contexts for p in c.pages if url_part in p.url
                 and p.get_by_role("button", name=button).count() > 0]
        assert len(pages) == 1, [p.url for c in browser.contexts for p in c.pages]
        page = pages[0]
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()


def close_tab(endpoint: str, url_part: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(endpoint)
        for context in browser.contexts:
            for page in context.pages:
                if url_part in page.url:
                    page.close()
