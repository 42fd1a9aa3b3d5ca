"""The project's expected failures: each carries the exit status and the sentence a user reads."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The one enumeration of exit codes (DESIGN.md, "Public contract")."""

    OK = 0
    PROBLEMS_FOUND = 1
    BAD_INPUT = 2
    LOGIN_NEEDED = 3
    SITE_CHANGED = 4
    NOT_SUBMITTED = 5


class AutofillError(Exception):
    """An expected failure: `str(err)` is the sentence shown to the user, `hint` what to do next."""

    exit_status: ExitStatus = ExitStatus.BAD_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class BadInput(AutofillError):
    """Usage errors and bad files: the message names the file and the field."""

    exit_status = ExitStatus.BAD_INPUT


class LoginNeeded(AutofillError):
    """No saved session, or the site shows its login page."""

    exit_status = ExitStatus.LOGIN_NEEDED

    def __init__(self, store: str, reason: str = "there is no saved session") -> None:
        super().__init__(
            f"Store '{store}': login needed ({reason}).",
            f"Run: autofill login --store {store}",
        )
        self.store = store


class SiteChanged(AutofillError):
    """The site did not behave as expected: unreachable, or a page or element changed."""

    exit_status = ExitStatus.SITE_CHANGED

    def __init__(self, page: str, step: str, detail: str, hint: str | None = None) -> None:
        super().__init__(
            f"{page}: {step}: {detail}",
            hint
            or "The Seller Center may have changed. Run `autofill doctor --store NAME` to see "
            "which page elements no longer match, and report it.",
        )
        self.page = page
        self.step = step
        self.detail = detail


class NotSubmitted(AutofillError):
    """Prefill ended without the human's submission (timeout, closed browser, abort)."""

    exit_status = ExitStatus.NOT_SUBMITTED


class ProblemsFound(AutofillError):
    """The work was done and found problems (check errors, scan errors on some pages)."""

    exit_status = ExitStatus.PROBLEMS_FOUND
