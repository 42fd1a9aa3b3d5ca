"""What every command works with: the workspace, the options, and where output goes.

Injected (not global) so tests run commands in-process and read what they printed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from autofill.browser import BrowserOptions
from autofill.workspace import Workspace, find_workspace

if TYPE_CHECKING:
    from rich.console import Console

    from autofill.config import StoreConfig, WorkspaceConfig
    from autofill.store import Store

Lang = Literal["en", "zh"]


@dataclass
class Environment:
    """The outside world a command sees: streams, current folder, environment variables."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    cwd: Path = field(default_factory=Path.cwd)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass
class AppContext:
    env: Environment
    workspace_arg: Path | None = None
    store_name: str | None = None
    json: bool = False
    lang: Lang = "en"
    verbose: bool = False
    browser: BrowserOptions = field(default_factory=BrowserOptions)

    @cached_property
    def workspace(self) -> Workspace:
        if self.workspace_arg is not None:
            return Workspace((self.env.cwd / self.workspace_arg).resolve())
        return find_workspace(self.env.cwd)

    @cached_property
    def config(self) -> WorkspaceConfig:
        from autofill.config import load_config  # noqa: PLC0415

        return load_config(self.workspace)

    def store_config(self, name: str | None = None) -> StoreConfig:
        return self.config.store(name or self.store_name)

    @cached_property
    def store(self) -> Store:
        from autofill.store import Store  # noqa: PLC0415

        return Store(self.workspace.db_path)

    @cached_property
    def console(self) -> Console:
        """Human output (tables, progress, messages): stderr, so stdout stays data."""
        from rich.console import Console  # noqa: PLC0415

        tty = hasattr(self.env.stderr, "isatty") and self.env.stderr.isatty()
        # piped or logged output keeps whole IDs on one line instead of 80 squeezed columns
        width = None if tty else int(self.env.environ.get("COLUMNS", "160"))
        return Console(file=self.env.stderr, highlight=False, soft_wrap=True, width=width)

    def print_json(self, data: object) -> None:
        import json  # noqa: PLC0415

        self.env.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        self.env.stdout.flush()

    def case_dir(self, arg: Path) -> Path:
        """A case folder named on the command line: relative to the current folder, or else to
        the workspace (`cases/NTF-1` works from anywhere with --workspace); case.yaml accepted."""
        path = self.env.cwd / arg
        if not path.exists() and not arg.is_absolute():
            path = self.workspace.root / arg
        path = path.resolve()
        return path.parent if path.name == "case.yaml" else path

    def t(self, en: str, zh: str) -> str:
        """The sentence in the user's language."""
        return zh if self.lang == "zh" else en
