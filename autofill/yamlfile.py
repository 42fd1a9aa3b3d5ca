"""Reading a YAML file into a pydantic model: every failure is a BadInput naming file and field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from autofill.errors import BadInput
from autofill.validation import field_path

M = TypeVar("M", bound=BaseModel)

# libyaml's safe loader when PyYAML was built with it: the same documents, ten times faster.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader

# How a pydantic error type reads to a seller editing YAML by hand.
_EXPECTED: dict[str, str] = {
    "missing": "required, but missing",
    "string_type": "expected text",
    "str_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list (- item lines)",
    "tuple_type": "expected a list (- item lines)",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "date_type": "expected a date YYYY-MM-DD",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date YYYY-MM-DD",
    "string_pattern_mismatch": "expected lowercase letters, digits and _ (like label_photo)",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


def read_yaml(path: Path, display: str) -> Any:
    """The parsed document; unreadable, non-UTF-8 or malformed files become BadInput."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise BadInput(f"{display}: file not found.") from err
    except OSError as err:
        raise BadInput(f"{display}: cannot be read ({err.strerror or err}).") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(
            f"{display}: not UTF-8 text (byte {err.start}).",
            "Save the file as UTF-8 (any modern editor does by default).",
        ) from err
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise BadInput(f"{display}: malformed YAML{where}: {err.problem or err}.") from err
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as err:
        # PyYAML raises plain ValueError/OverflowError for some scalars (e.g. dates out of range).
        raise BadInput(f"{display}: malformed YAML: {err}.") from err


def format_loc(loc: Sequence[int | str], drop: frozenset[str] = frozenset()) -> str:
    """('evidence', 2, 'file') -> 'evidence[2].file'; names in `drop` (union tags) are left out."""
    return field_path(tuple(p for p in loc if isinstance(p, int) or p not in drop))


def describe(error: dict[str, Any]) -> str:
    """One error as 'expected ...' text, with the offending value where that helps."""
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "literal_error":
        return f"expected {error.get('ctx', {}).get('expected', 'one of the allowed values')}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"expected {error.get('ctx', {}).get('expected_tags', 'a known kind')}"
    text = _EXPECTED.get(kind)
    if text is None:
        text = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    value = error.get("input")
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        text += " (put the value in quotes)"
    if kind != "missing" and isinstance(value, str | int | float) and not isinstance(value, bool):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        text += f", got {shown}"
    return text


def bad_input(
    err: ValidationError, display: str, *, prefix: str = "", drop: frozenset[str] = frozenset()
) -> BadInput:
    """The first few validation errors as one BadInput: 'file: field.path: expected form'."""
    lines = []
    errors = err.errors()
    for error in errors[:5]:
        loc = format_loc(error.get("loc", ()), drop)
        if prefix:
            loc = prefix if loc == "(top level)" else f"{prefix}.{loc}".replace(".[", "[")
        lines.append(f"{display}: {loc}: {describe(dict(error))}")
    if len(errors) > 5:
        lines.append(f"{display}: ... and {len(errors) - 5} more problems.")
    return BadInput("\n".join(lines))


def validate(model: type[M], data: Any, display: str, *, drop: frozenset[str] = frozenset()) -> M:
    """`model` from parsed YAML, or BadInput naming file and field."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise bad_input(err, display, drop=drop) from err
