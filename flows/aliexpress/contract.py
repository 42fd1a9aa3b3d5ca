"""The AliExpress forms' contracts (forms.yaml beside this file), checked before typing."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.async_api import Locator

from autofill.formcontract import FormContract, load_contracts, verify


@cache
def contracts() -> dict[str, FormContract]:
    return load_contracts(Path(__file__).with_name("forms.yaml"))


async def verify_form(name: str, form: Locator, page_name: str) -> None:
    """SiteChanged naming every difference between the live form and contract `name`."""
    await verify(form, contracts()[name], page_name)
