"""The Joom Seller Center imitation as a sandbox platform, mounted by the server at /joom."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute, Route

from autofill.sandbox.clock import SandboxClock
from autofill.sandbox.config import SandboxConfig
from autofill.sandbox.joom.pages import PREFIX, JoomPages
from autofill.sandbox.joom.state import JoomState
from autofill.sandbox.sessions import DEMO_EMAIL, DEMO_PASSWORD, SessionStore, login_required

SESSION_COOKIE = "joom_session"


class JoomPlatform:
    """Satisfies autofill.sandbox.base.SandboxPlatform."""

    name = "joom"
    login_path = f"{PREFIX}/login"
    credentials = (DEMO_EMAIL, DEMO_PASSWORD)

    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self.state = JoomState(config.seed, config.listings, clock)
        self.sessions = SessionStore(SESSION_COOKIE, PREFIX, config, login_path=self.login_path)
        self.pages = JoomPages(self.state, self.sessions)

    def routes(self) -> list[BaseRoute]:
        pages, guard = self.pages, login_required(self.sessions)
        return [
            Route("/login", pages.login_page, methods=["GET"]),
            Route("/login", pages.login_submit, methods=["POST"]),
            Route("/logout", pages.logout, methods=["GET", "POST"]),
            Route("/", guard(pages.dashboard), methods=["GET"]),
            Route("/products", guard(pages.products), methods=["GET"]),
            Route("/products/{listing_id}", guard(pages.product), methods=["GET"]),
            Route("/products/{listing_id}/appeal", guard(pages.appeal_form), methods=["GET"]),
            Route("/products/{listing_id}/appeal", guard(pages.appeal_submit), methods=["POST"]),
            Route("/notifications", guard(pages.notifications), methods=["GET"]),
            Route("/account-health", guard(pages.account_health), methods=["GET"]),
            Route("/settings/profile", guard(pages.profile), methods=["GET"]),
            Route("/support/appeals", guard(pages.appeals), methods=["GET"]),
            Route("/support/appeals/{appeal_id}", guard(pages.appeal), methods=["GET"]),
            Route("/support/appeals/{appeal_id}", guard(pages.appeal_answer), methods=["POST"]),
            Route("/{path:path}", pages.not_found),
        ]

    def truth(self, base_url: str) -> dict[str, Any]:
        return self.state.truth(base_url.rstrip("/"))

    def reset(self) -> None:
        """Back to the seeded data; login sessions survive so browser tests stay logged in."""
        self.state.reset()

    def set_state(self, payload: dict[str, Any]) -> None:
        self.state.set_state(payload)


def create_platform(config: SandboxConfig, clock: SandboxClock) -> JoomPlatform:
    """The Joom platform for `config`'s seed and listing count, on the shared `clock`."""
    return JoomPlatform(config, clock)
