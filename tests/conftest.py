"""Shared fixtures: one sandbox server per session (real HTTP), a workspace per test, and the CLI
run in-process the way a user runs it (exit code, stdout, stderr)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autofill.cli import main
from autofill.context import Environment

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(args: list[str], cwd: Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, Environment(stdout=out, stderr=err, cwd=cwd, environ=dict(os.environ)))
    return Result(int(code), out.getvalue(), err.getvalue())


class Sandbox:
    """A running `autofill sandbox --test-hooks` and its hooks."""

    def __init__(self, listings: int = 500, seed: int = 7, extra: list[str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "autofill", "sandbox", "--port", "0", "--test-hooks",
             "--listings", str(listings), "--seed", str(seed), *(extra or [])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )
        assert self.proc.stdout is not None
        self.base = ""
        for line in self.proc.stdout:
            if "Joom" in line and "http" in line:
                self.base = line.split()[-1].rsplit("/joom", 1)[0]
                break
        if not self.base:
            self.proc.kill()
            said = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"sandbox did not start: {said}")

    def url(self, path: str) -> str:
        return self.base + path

    def _call(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.url(path), data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def truth(self, platform: str = "joom") -> dict[str, Any]:
        return self._call("/__sandbox__/truth")[platform]

    def faults(self, **switches: Any) -> None:
        self._call("/__sandbox__/faults", switches)

    def fault_counts(self) -> dict[str, int]:
        """Requests that met a fault since the last reset."""
        return dict(self._call("/__sandbox__/faults")["counts"])

    def reset(self) -> None:
        self._call("/__sandbox__/reset", {})

    def state(self, platform: str, **payload: Any) -> None:
        self._call(f"/__sandbox__/{platform}/state", payload)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# Most tests need every scenario, not volume: 150 listings cover both platforms' catalogues. The
# scan-equals-truth tests of the 500-listing size the issue names use `big_sandbox`.
SANDBOX_LISTINGS = 150


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    server = Sandbox(listings=SANDBOX_LISTINGS)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def big_sandbox() -> Iterator[Sandbox]:
    server = Sandbox(listings=500)
    yield server
    server.stop()


@pytest.fixture
def clean_sandbox(sandbox: Sandbox) -> Iterator[Sandbox]:
    """The shared sandbox, back in its seeded state before and after the test."""
    sandbox.reset()
    yield sandbox
    sandbox.reset()


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(folder))
    return folder


@dataclass
class Workspace:
    root: Path
    sandbox: Sandbox

    def run(self, *args: str) -> Result:
        return run_cli(list(args), self.root)

    def login(self, store: str = "joom-sandbox") -> None:
        result = self.run("login", "--store", store, "--demo")
        assert result.code == 0, result.stderr


WORKSPACE_TOML = """\
[[stores]]
name = "joom-sandbox"
platform = "joom"
base_url = "{base}/joom"
legal_name = "Shenzhen Sandbox Trading Co., Ltd."

[[stores]]
name = "ali-sandbox"
platform = "aliexpress"
base_url = "{base}/aliexpress"
legal_name = "Shenzhen Sandbox Trading Co., Ltd."
"""


def make_workspace(root: Path, sandbox: Sandbox) -> Workspace:
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text(WORKSPACE_TOML.format(base=sandbox.base))
    return Workspace(root, sandbox)


@pytest.fixture
def workspace(tmp_path: Path, sandbox: Sandbox, data_dir: Path) -> Workspace:
    return make_workspace(tmp_path / "ws", sandbox)
