"""Fixtures for the sandbox's HTTP tests: one server per session, a fresh seeded state per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from autofill.sandbox.config import SandboxConfig
from autofill.sandbox.server import running
from tests.sandbox.dom import parse

DEMO = {"email": "demo@seller.example", "password": "sandbox-demo"}
LISTINGS = 500


@pytest.fixture(scope="session")
def joom_sandbox_url() -> Iterator[str]:
    """A sandbox with test hooks and 500 listings, shared by the session."""
    with running(SandboxConfig(seed=7, listings=LISTINGS, test_hooks=True)) as url:
        yield url


@pytest.fixture
def seeded_url(joom_sandbox_url: str) -> Iterator[str]:
    """The shared sandbox, back to its seeded state with faults off."""
    with httpx.Client(base_url=joom_sandbox_url) as client:
        client.post("/__sandbox__/reset").raise_for_status()
    yield joom_sandbox_url
    with httpx.Client(base_url=joom_sandbox_url) as client:
        client.post("/__sandbox__/reset").raise_for_status()


@pytest.fixture
def anonymous(seeded_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=seeded_url, timeout=10) as client:
        yield client


@pytest.fixture
def seller(seeded_url: str) -> Iterator[httpx.Client]:
    """A client logged in to the Joom sandbox."""
    with httpx.Client(base_url=seeded_url, timeout=10) as client:
        log_in(client)
        yield client


def log_in(client: httpx.Client, password: str = DEMO["password"]) -> httpx.Response:
    page = client.get("/joom/login")
    return client.post("/joom/login", data={**DEMO, "password": password,
                                            "csrf_token": csrf(page.text)})


def csrf(html: str) -> str:
    found = parse(html).find_all("input", name="csrf_token")
    assert found, "no csrf_token field on the page"
    return str(found[0].attrs["value"])


def truth(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/__sandbox__/truth")
    response.raise_for_status()
    joom: dict[str, Any] = response.json()["joom"]
    return joom
