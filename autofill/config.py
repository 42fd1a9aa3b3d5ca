"""autofill.toml: the workspace's stores and settings, validated by pydantic."""

from __future__ import annotations

import sys
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from autofill.errors import BadInput
from autofill.validation import describe
from autofill.workspace import Workspace

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class StoreConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    platform: Literal["joom", "aliexpress"]
    base_url: str | None = Field(default=None, max_length=2048)
    legal_name: str = Field(default="", max_length=300)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("expected an http(s) URL such as https://merchant.joom.com")
        return value.rstrip("/")


class ScanSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concurrency: int = Field(default=3, ge=1, le=8, description="pages read at once per store")
    stores_at_once: int = Field(default=2, ge=1, le=8, description="stores scanned at once (--all)")


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stores: list[StoreConfig] = Field(default_factory=list)
    scan: ScanSettings = Field(default_factory=ScanSettings)

    def store(self, name: str | None) -> StoreConfig:
        """The store named, or the only one; a clear BadInput otherwise."""
        if name is None:
            if len(self.stores) == 1:
                return self.stores[0]
            names = ", ".join(s.name for s in self.stores) or "none yet"
            raise BadInput(
                f"Which store? This workspace has {len(self.stores)} stores ({names}).",
                "Name one with --store NAME." if self.stores else "Add one to autofill.toml.",
            )
        for store in self.stores:
            if store.name == name:
                return store
        names = ", ".join(s.name for s in self.stores) or "none"
        raise BadInput(
            f"autofill.toml: no store named '{name}' (stores: {names}).",
            "Check the name, or add a [[stores]] entry to autofill.toml.",
        )


def load_config(workspace: Workspace) -> WorkspaceConfig:
    """Read and validate autofill.toml; every failure is a BadInput naming the file and key."""
    path = workspace.config_path
    if not path.is_file():
        raise BadInput(
            f"No autofill.toml in {workspace.root}.",
            "Create a workspace with `autofill init FOLDER`, or pass --workspace FOLDER.",
        )
    try:
        raw = path.read_bytes().decode("utf-8-sig")  # Windows Notepad may add a BOM
    except UnicodeDecodeError as err:
        raise BadInput(
            f"{path}: not UTF-8 text (byte {err.start}).", "Save the file as UTF-8."
        ) from err
    except OSError as err:
        raise BadInput(f"{path}: cannot be read ({err.strerror}).") from err
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        raise BadInput(
            f"{path}: not valid TOML: {err}.",
            "Compare with the commented example that `autofill init` writes.",
        ) from err
    except RecursionError as err:  # tomllib recurses once per level of nested [ or {
        raise BadInput(
            f"{path}: not valid TOML: arrays or tables nested too deeply.",
            "Compare with the commented example that `autofill init` writes.",
        ) from err
    try:
        config = WorkspaceConfig.model_validate(data)
    except ValidationError as err:
        raise BadInput(describe(err, path)) from err
    names = [s.name for s in config.stores]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise BadInput(f"{path}: stores: the name '{dupes[0]}' is used twice; names must differ.")
    return config


EXAMPLE = """\
# autofill workspace: the stores autofill works on.
# Each [[stores]] entry is one Seller Center account.
#
# [[stores]]
# name = "joom-main"                 # what --store names
# platform = "joom"                  # joom | aliexpress
# base_url = "https://..."           # optional: the platform's Seller Center by default;
#                                    # the sandbox for practice: http://127.0.0.1:8765/joom
# legal_name = "Shenzhen Example Trading Co., Ltd."   # as registered with the platform:
#                                    # authorization letters must name exactly this company
#
# [scan]
# concurrency = 3                    # pages read at once per store (be gentle with the site)
# stores_at_once = 2                 # stores scanned at once by `autofill scan --all`
"""
