"""The platform registry: flows register through the `autofill.flows` entry point group, so the
core never imports a platform and a new marketplace is a new folder in flows/."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from autofill.errors import BadInput

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

    from autofill.flowkit import AppealsJob, DoctorJob, PrefillJob, ScanJob

GROUP = "autofill.flows"


class FlowPlatform(Protocol):
    """What a platform's flow package offers the core (flows/<name>/__init__.py: `platform`)."""

    name: str
    default_base_url: str
    sandbox_path: str  # where the built-in sandbox serves it, e.g. "/joom"

    def login_url(self, base_url: str) -> str: ...

    def logged_in_marker(self, page: Page) -> Locator:
        """An element only the logged-in Seller Center shows (login waits for it)."""
        ...

    async def is_login_page(self, page: Page) -> bool:
        """True when the page is the site's login page (the session is missing or expired)."""
        ...

    async def demo_login(self, page: Page, base_url: str) -> None:
        """Type the sandbox's demo credentials (the core allows this for local sandboxes only)."""
        ...

    async def scan(self, job: ScanJob) -> None: ...

    async def read_appeals(self, job: AppealsJob) -> None: ...

    async def prefill(self, job: PrefillJob) -> Any: ...

    async def doctor(self, job: DoctorJob) -> list[tuple[str, str, bool, str]]:
        """Check every page object's key elements: (page, element, ok, detail) rows."""
        ...


def names() -> list[str]:
    """Installed platforms, without importing any of them."""
    return sorted({ep.name for ep in entry_points(group=GROUP)})


@cache
def get(name: str) -> FlowPlatform:
    """The named platform's flow, loaded on first use (one broken plugin spoils no other)."""
    for ep in entry_points(group=GROUP):
        if ep.name == name:
            try:
                loaded: FlowPlatform = ep.load()
            except (ImportError, AttributeError) as err:
                raise BadInput(
                    f"The flow for platform '{name}' ({ep.value}) could not be loaded: {err}.",
                    "Reinstall autofill (pip install -e .).",
                ) from err
            return loaded
    raise BadInput(
        f"No flow is installed for platform '{name}' (installed: {', '.join(names()) or 'none'}).",
        "Reinstall autofill (pip install -e .) so its entry points are registered.",
    )
