"""Form contracts: before typing anything, compare the form on the page with the form a flow was
written for (kept as data beside the flow). A changed legal form stops prefill: a wrong field
silently filled is worse than no help, so autofill does not guess or "self-heal"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict

from autofill.errors import SiteChanged

if TYPE_CHECKING:
    from playwright.async_api import Locator

_READ_FORM = """
(form) => Array.from(form.elements)
  .filter((el) => ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) && el.type !== "hidden")
  .map((el) => {
    const label = (el.labels && el.labels.length ? el.labels[0].textContent
                   : el.getAttribute("aria-label") || "").replace(/\\s+/g, " ").trim();
    return {
      label,
      type: el.tagName === "INPUT" ? el.type : el.tagName.toLowerCase(),
      required: !!el.required,
      multiple: !!el.multiple,
      accept: el.getAttribute("accept") || "",
      maxlength: el.maxLength > 0 ? el.maxLength : null,
      options: el.tagName === "SELECT"
        ? Array.from(el.options).filter((o) => o.value !== "").map((o) => o.text.trim()) : [],
    };
  })
"""


class FieldContract(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    type: str
    required: bool = False
    multiple: bool = False
    accept: str = ""
    maxlength: int | None = None
    options: list[str] = []  # every option the flow knows; the page may show a subset


class FormContract(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    fields: list[FieldContract]


def load_contracts(path: Path) -> dict[str, FormContract]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: FormContract(name=name, **spec) for name, spec in data["forms"].items()}


def differences(contract: FormContract, found: list[dict[str, Any]]) -> list[str]:
    """Every way the page's form differs from the contract, in words a person understands."""
    out: list[str] = []
    by_label = {f["label"]: f for f in found}
    known = {f.label for f in contract.fields}
    for want in contract.fields:
        got = by_label.get(want.label)
        if got is None:
            out.append(f"field '{want.label}' is gone (renamed or removed)")
            continue
        for attr in ("type", "required", "multiple", "accept", "maxlength"):
            if got.get(attr) != getattr(want, attr):
                out.append(f"field '{want.label}': {attr} is now {got.get(attr)!r}, "
                           f"was {getattr(want, attr)!r}")
        unknown = [o for o in got.get("options", []) if o not in want.options]
        if unknown:
            out.append(f"field '{want.label}': new option(s) {', '.join(map(repr, unknown))}")
    for got in found:
        if got["label"] not in known:
            extra = "required " if got.get("required") else ""
            out.append(f"new {extra}field '{got['label']}' ({got['type']})")
    return out


async def verify(form: Locator, contract: FormContract, page_name: str) -> None:
    """Raise SiteChanged naming every difference; the caller has typed nothing yet."""
    found: list[dict[str, Any]] = await form.evaluate(_READ_FORM)
    diffs = differences(contract, found)
    if diffs:
        raise SiteChanged(
            page_name,
            "compare the form before filling",
            "the form changed since autofill was written for it; nothing was typed:\n  - "
            + "\n  - ".join(diffs),
            "Fill this form by hand this time, and report the change so the flow is updated "
            "(`autofill doctor --store NAME` shows what else moved).",
        )
