"""Where a workspace keeps things: autofill.toml, cases/, .autofill/ (store, logs), rulepacks/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "autofill.toml"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def state_dir(self) -> Path:
        return self.root / ".autofill"

    @property
    def db_path(self) -> Path:
        return self.state_dir / "store.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def rulepack_dir(self) -> Path:
        """Workspace rulepacks here override the built-in ones of the same platform."""
        return self.root / "rulepacks"

    def case_dir(self, case_id: str) -> Path:
        return self.cases_dir / case_id

    def exists(self) -> bool:
        return self.config_path.is_file()


def find_workspace(start: Path) -> Workspace:
    """The nearest folder at or above `start` holding autofill.toml; `start` itself if none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return Workspace(folder)
    return Workspace(start)
