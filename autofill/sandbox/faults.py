"""Injected faults: slow pages and 5xx answers on the platforms' pages (switches live in config).

Never touches `/__sandbox__/` (the hooks) or `/healthz`; never fails a login page (GET or POST),
so tests can always log in. The 5xx draws come from a RNG seeded with the fault seed, so the same
sequence of requests meets the same failures.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from autofill.sandbox.config import SandboxConfig

_STATUSES = (500, 502, 503)
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{status} Server Error</title></head>
<body><main><h1>Something went wrong</h1>
<p role="alert">The server answered {status}. Please try again in a moment.</p></main></body></html>
"""


class FaultInjector:
    """Decides, request by request, whether to fail; reads the live switches in `config`."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self._seed: int | None = None
        self._rng = random.Random()
        self.counts = {"requests": 0, "injected_5xx": 0, "delayed": 0}
        self.reseed()

    def reseed(self) -> None:
        """Restart the failure sequence from the current fault seed."""
        self._seed = int(self.config.fault_values()["seed"])
        self._rng = random.Random(self._seed)

    def failure(self) -> int | None:
        """A 5xx status to answer with, or None; one draw per platform request."""
        if self._seed != self.config.fault_values()["seed"]:
            self.reseed()
        rate = self.config.error_rate
        if rate <= 0:
            return None
        if self._rng.random() >= rate:
            return None
        self.counts["injected_5xx"] += 1
        return self._rng.choice(_STATUSES)


class FaultMiddleware:
    """ASGI middleware adding latency and 5xx pages under the platform prefixes (`/joom`...)."""

    def __init__(
        self,
        app: ASGIApp,
        injector: FaultInjector,
        prefixes: Iterable[str],
        exempt_paths: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.injector = injector
        self.prefixes = tuple(p.rstrip("/") for p in prefixes)
        self.exempt = frozenset(p.rstrip("/") for p in exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._platform_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        self.injector.counts["requests"] += 1
        latency = self.injector.config.latency_ms
        if latency > 0:
            self.injector.counts["delayed"] += 1
            await asyncio.sleep(latency / 1000)
        status = None if scope["path"].rstrip("/") in self.exempt else self.injector.failure()
        if status is None:
            await self.app(scope, receive, send)
            return
        body = _PAGE.format(status=status).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _platform_page(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self.prefixes)
