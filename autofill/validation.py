"""Pydantic validation errors as sentences naming the file, the field and the expected form."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


def field_path(loc: tuple[int | str, ...]) -> str:
    """`('stores', 0, 'platform')` -> `stores[0].platform`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def describe(err: ValidationError, file: Path | str, limit: int = 5) -> str:
    """Every problem on its own line: `file: field: what is wrong (got ...)`."""
    lines = []
    for item in err.errors()[:limit]:
        where = field_path(tuple(item.get("loc", ())))
        msg = item.get("msg", "invalid value")
        if item.get("type") == "extra_forbidden":
            msg = "unknown key (check the spelling; see the commented example)"
        elif item.get("type") == "missing":
            msg = "required key is missing"
        got = item.get("input")
        shown = ""
        if item.get("type") not in {"missing", "extra_forbidden"} and isinstance(
            got, str | int | float | bool
        ):
            text = repr(got)
            shown = f" (got {text[:60]}{'...' if len(text) > 60 else ''})"
        lines.append(f"{file}: {where}: {msg}{shown}")
    more = len(err.errors()) - limit
    if more > 0:
        lines.append(f"{file}: ... and {more} more problem(s)")
    return "\n".join(lines)
