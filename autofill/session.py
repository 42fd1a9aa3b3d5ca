"""Saved browser sessions (Playwright storage state): per store, in the user's data directory,
mode 0600, never in the workspace and never in logs.

Besides the storage state, the file keeps the user agent of the browser that logged in (under
IDENTITY): pages read over HTTP without a tab (autofill.reading) are asked for as that browser.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from autofill.errors import BadInput, LoginNeeded

IDENTITY = "autofill"  # {"user_agent": ...}, next to Playwright's "cookies" and "origins"


def data_dir() -> Path:
    """The user's autofill data directory (AUTOFILL_DATA_DIR overrides, e.g. for tests)."""
    override = os.environ.get("AUTOFILL_DATA_DIR")
    if override:
        return Path(override).expanduser().resolve()
    import platformdirs  # noqa: PLC0415 - keep `autofill --help` light

    return Path(platformdirs.user_data_dir("autofill", appauthor=False))


def session_path(store: str) -> Path:
    return data_dir() / "sessions" / f"{store}.json"


def ensure_outside(workspace_root: Path) -> None:
    """Refuse a data directory inside the workspace: bundles get zipped and shared."""
    folder = data_dir()
    root = workspace_root.resolve()
    if folder == root or root in folder.parents:
        raise BadInput(
            f"The session folder {folder} is inside the workspace {root}.",
            "Sessions must stay out of folders that get shared: unset AUTOFILL_DATA_DIR or "
            "point it outside the workspace.",
        )


def save(store: str, state: dict[str, Any], *, user_agent: str | None = None) -> Path:
    """Write the storage state (and the browser's user agent) atomically with mode 0600
    (created so, never widened)."""
    if user_agent:
        state = {**state, IDENTITY: {"user_agent": user_agent}}
    path = session_path(store)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def load(store: str) -> dict[str, Any]:
    """The saved storage state, as Playwright takes it, or LoginNeeded (exit 3) when there is
    none or it is unreadable."""
    return {k: v for k, v in _read(store).items() if k != IDENTITY}


def user_agent(store: str) -> str | None:
    """The user agent of the browser the seller logged in with (None: an older session file)."""
    identity = _read(store).get(IDENTITY)
    agent = identity.get("user_agent") if isinstance(identity, dict) else None
    return agent if isinstance(agent, str) and agent else None


def _read(store: str) -> dict[str, Any]:
    path = session_path(store)
    if not path.is_file():
        raise LoginNeeded(store)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LoginNeeded(store, "the saved session file is unreadable") from err
    cookies = state.get("cookies", []) if isinstance(state, dict) else None
    if not isinstance(cookies, list) or not all(map(_is_cookie, cookies)):
        raise LoginNeeded(store, "the saved session file is unreadable")
    return state


def _is_cookie(cookie: object) -> bool:
    """A storage-state cookie has at least these, as strings (both HTTP clients need them)."""
    return isinstance(cookie, dict) and all(
        isinstance(cookie.get(key), str) for key in ("name", "value", "domain", "path"))


def exists(store: str) -> bool:
    return session_path(store).is_file()


def forget(store: str) -> None:
    path = session_path(store)
    if path.exists():
        path.unlink()
