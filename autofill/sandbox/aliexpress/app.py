"""The AliExpress sandbox platform: `create_platform(config, clock)` is what the server mounts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from autofill.sandbox.aliexpress.pages import appeals, auth, reports, store, violations
from autofill.sandbox.aliexpress.site import PREFIX, Site
from autofill.sandbox.aliexpress.state_hook import apply_state
from autofill.sandbox.aliexpress.truth import build_truth
from autofill.sandbox.clock import SandboxClock
from autofill.sandbox.config import SandboxConfig
from autofill.sandbox.sessions import DEMO_EMAIL, DEMO_PASSWORD


class AliExpressPlatform:
    """The imitated AliExpress seller backend (Chinese UI), mounted at /aliexpress."""

    name = "aliexpress"
    login_path = f"{PREFIX}/login"
    credentials = (DEMO_EMAIL, DEMO_PASSWORD)

    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self.site = Site(config, clock)

    def routes(self) -> list[BaseRoute]:
        site = self.site
        return [
            *auth.routes(site),
            *store.routes(site),
            *violations.routes(site),
            *appeals.routes(site),
            *reports.routes(site),
            Route("/{path:path}", not_found(site)),
        ]

    def truth(self, base_url: str) -> dict[str, Any]:
        return build_truth(self.site.world, self.site.now(), base_url)

    def reset(self) -> None:
        """Back to the seeded data (same start day); sessions stay logged in."""
        self.site.world = self.site.seeded_world()

    def set_state(self, payload: dict[str, Any]) -> None:
        apply_state(self.site.world, self.site.clock, payload)


def not_found(site: Site) -> Callable[[Request], Awaitable[Response]]:
    async def page(request: Request) -> Response:
        session = site.sessions.current(request)
        return site.render("refused.html", session=session if session and session.user else None,
                           status_code=404, title="页面不存在", message="您访问的页面不存在。")

    return page


def create_platform(config: SandboxConfig, clock: SandboxClock) -> AliExpressPlatform:
    return AliExpressPlatform(config, clock)
