"""The sandbox web server: every imitated Seller Center on one port, plus the test hooks.

    app = create_app(SandboxConfig(test_hooks=True))      # an ASGI app (Starlette)
    serve(config, "127.0.0.1", 8765, on_ready=print)      # blocks until Ctrl+C / SIGTERM
    with running(config) as base_url: ...                 # in a background thread (tests)

Each platform lives at `/<name>` (`/joom`, `/aliexpress` when that package exists). A platform
module `autofill.sandbox.<name>.app` exposes `create_platform(config, clock)` returning an object
that satisfies `autofill.sandbox.base.SandboxPlatform`; it may also carry `login_path` (default
`/<name>/login`: never failed by injected faults) and `credentials` (shown on the index page).
Test hooks (`/__sandbox__/...`) exist only when `config.test_hooks` is on; otherwise they 404.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from autofill.sandbox.base import SandboxPlatform
from autofill.sandbox.clock import SandboxClock
from autofill.sandbox.config import SandboxConfig, check_faults
from autofill.sandbox.faults import FaultInjector, FaultMiddleware
from autofill.sandbox.scramble import ScrambleMiddleware
from autofill.sandbox.sessions import DEMO_EMAIL, DEMO_PASSWORD

PLATFORM_NAMES: tuple[str, ...] = ("joom", "aliexpress")
HOOKS = "/__sandbox__"
_TITLES = {"joom": "Joom Seller Center (English)", "aliexpress": "AliExpress 卖家后台 (中文)"}
_HOOK_FAULT_KEYS = {"latency_ms", "error_rate", "expire_after", "scramble", "seed"}


@dataclass
class Sandbox:
    """What the hooks act on: the live config, the shared clock, the platforms, the fault RNG."""

    config: SandboxConfig
    clock: SandboxClock
    platforms: dict[str, SandboxPlatform]
    injector: FaultInjector


def available_platforms() -> list[str]:
    """Names of the platforms whose package is present (`joom`, and `aliexpress` once built)."""
    return [n for n in PLATFORM_NAMES
            if importlib.util.find_spec(f"autofill.sandbox.{n}.app") is not None]


def create_app(config: SandboxConfig) -> Starlette:
    """The sandbox as an ASGI app; `config` stays live (the faults hook changes it)."""
    clock = SandboxClock()
    platforms: dict[str, SandboxPlatform] = {}
    for name in available_platforms():
        module = importlib.import_module(f"autofill.sandbox.{name}.app")
        platforms[name] = module.create_platform(config, clock)
    sandbox = Sandbox(config, clock, platforms, FaultInjector(config))
    routes: list[BaseRoute] = [Route("/", _index), Route("/healthz", _healthz)]
    if config.test_hooks:
        routes += _hook_routes()
    routes += [Mount(f"/{name}", routes=p.routes()) for name, p in platforms.items()]
    logins = [getattr(p, "login_path", f"/{name}/login") for name, p in platforms.items()]
    middleware = [
        Middleware(ScrambleMiddleware, config=config),
        Middleware(FaultMiddleware, injector=sandbox.injector,
                   prefixes=[f"/{name}" for name in platforms], exempt_paths=logins),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.sandbox = sandbox
    return app


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


async def _index(request: Request) -> Response:
    items = []
    for name, platform in _sandbox(request).platforms.items():
        email, password = getattr(platform, "credentials", (DEMO_EMAIL, DEMO_PASSWORD))
        items.append(
            f'<li><a href="/{name}/">{html.escape(_TITLES.get(name, name))}</a>: '
            f"demo account {html.escape(email)} / {html.escape(password)}</li>"
        )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>autofill sandbox</title></head><body><main><h1>autofill sandbox</h1>"
        "<p>Imitations of the sellers' dashboards, for practice and tests. No real store is "
        f'touched.</p><ul aria-label="Platforms">{"".join(items)}</ul></main></body></html>'
    )
    return HTMLResponse(page)


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok", "sandbox": "autofill",
                         "platforms": list(_sandbox(request).platforms)})


# -- test hooks ---------------------------------------------------------------------------------


def _hook_routes() -> list[BaseRoute]:
    return [
        Route(f"{HOOKS}/truth", _truth, methods=["GET"]),
        Route(f"{HOOKS}/faults", _faults_get, methods=["GET"]),
        Route(f"{HOOKS}/faults", _faults_set, methods=["POST"]),
        Route(f"{HOOKS}/reset", _reset, methods=["POST"]),
        Route(f"{HOOKS}/{{platform}}/state", _platform_state, methods=["POST"]),
    ]


async def _truth(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    platforms = _sandbox(request).platforms
    return JSONResponse({name: p.truth(f"{base}/{name}") for name, p in platforms.items()})


async def _faults_get(request: Request) -> Response:
    """The switches, and how many requests met a fault since the last reset (for reports)."""
    sandbox = _sandbox(request)
    return JSONResponse({**sandbox.config.fault_values(), "counts": sandbox.injector.counts})


async def _faults_set(request: Request) -> Response:
    sandbox = _sandbox(request)
    payload = await _json_object(request)
    if isinstance(payload, Response):
        return payload
    unknown = set(payload) - _HOOK_FAULT_KEYS
    if unknown:
        return _bad(f"unknown fault switches: {', '.join(sorted(unknown))}")
    try:
        check_faults(payload)
        if "scramble" in payload and not isinstance(payload["scramble"], bool):
            raise ValueError("scramble must be true or false")
        if "seed" in payload and not isinstance(payload["seed"], int):
            raise ValueError("seed must be a whole number")
    except ValueError as err:
        return _bad(str(err))
    config = sandbox.config
    for key, value in payload.items():
        setattr(config, "fault_seed" if key == "seed" else key, value)
    if "seed" in payload:
        sandbox.injector.reseed()
    return JSONResponse(config.fault_values())


async def _reset(request: Request) -> Response:
    sandbox = _sandbox(request)
    sandbox.clock.set(None)
    sandbox.config.faults_off()
    sandbox.injector.reseed()
    sandbox.injector.counts = dict.fromkeys(sandbox.injector.counts, 0)
    for platform in sandbox.platforms.values():
        platform.reset()
    return JSONResponse({"ok": True})


async def _platform_state(request: Request) -> Response:
    platform = _sandbox(request).platforms.get(request.path_params["platform"])
    if platform is None:
        return JSONResponse({"error": "no such platform"}, status_code=404)
    payload = await _json_object(request)
    if isinstance(payload, Response):
        return payload
    try:
        platform.set_state(payload)
    except ValueError as err:
        return _bad(str(err))
    return JSONResponse({"ok": True})


async def _json_object(request: Request) -> dict[str, Any] | Response:
    try:
        payload = await request.json()
    except ValueError:
        return _bad("the body must be a JSON object")
    return payload if isinstance(payload, dict) else _bad("the body must be a JSON object")


def _bad(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=400)


# -- serving ------------------------------------------------------------------------------------


class _Server(uvicorn.Server):
    """uvicorn's server, telling `on_ready` once it listens."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self._on_ready is not None:
            self._on_ready()


def serve(
    config: SandboxConfig,
    host: str = "127.0.0.1",
    port: int = 8765,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the sandbox until Ctrl+C or SIGTERM (then return after a clean shutdown).

    `port=0` picks a free port; `on_ready(base_url)` is called once the server listens, with
    the real address, e.g. "http://127.0.0.1:43127" (platforms are under `/joom`, ...). It runs
    on the server's event loop: it must return quickly. Raises OSError (e.g. EADDRINUSE) when
    the address cannot be bound.
    """
    app = create_app(config)
    sock = _bind(host, port)
    url = _base_url(host, sock)
    server = _Server(_uvicorn_config(app), (lambda: on_ready(url)) if on_ready else None)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl+C it handled; the shutdown is already done
    finally:
        sock.close()


@contextmanager
def running(config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the sandbox in a background thread; yields its base URL and stops it on exit."""
    app = create_app(config)
    sock = _bind(host, port)
    ready = threading.Event()
    server = _Server(_uvicorn_config(app), ready.set)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="autofill-sandbox", daemon=True)
    thread.start()
    try:
        while not ready.wait(0.05):
            if not thread.is_alive():
                raise RuntimeError("the sandbox server stopped while starting")
        yield _base_url(host, sock)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _uvicorn_config(app: Starlette) -> uvicorn.Config:
    return uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                          timeout_graceful_shutdown=3)


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _base_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
