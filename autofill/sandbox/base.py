"""What a sandbox platform gives the server: its routes, its ground truth, its test switches."""

from __future__ import annotations

from typing import Any, Protocol

from starlette.routing import BaseRoute


class SandboxPlatform(Protocol):
    """One imitated Seller Center, mounted by the server at `/<name>`."""

    name: str  # "joom" | "aliexpress": also the mount path

    def routes(self) -> list[BaseRoute]:
        """The site's pages, relative to the mount path."""
        ...

    def truth(self, base_url: str) -> dict[str, Any]:
        """Ground truth with the scan contract's field names (base_url: e.g. http://h:p/joom)."""
        ...

    def reset(self) -> None:
        """Back to the seeded state."""
        ...

    def set_state(self, payload: dict[str, Any]) -> None:
        """Test switches for this platform (POST /__sandbox__/<name>/state)."""
        ...
