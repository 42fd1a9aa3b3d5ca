"""The Joom forms' contracts (forms.yaml beside this file) checked before anything is typed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from autofill.formcontract import FormContract, load_contracts, verify
from flows.joom.pages import AppealDetailPage, AppealFormPage


@cache
def contracts() -> dict[str, FormContract]:
    return load_contracts(Path(__file__).with_name("forms.yaml"))


async def verify_form(form: AppealFormPage) -> None:
    await verify(form.form, contracts()["appeal"], form.title)


async def verify_supplement_form(detail: AppealDetailPage) -> None:
    await verify(detail.form, contracts()["additional_information"], detail.title)
