"""A platform's rules as data: the pydantic models of a rulepack, and how one is loaded.

A rulepack names its version, source and effective date; says which appeal types and evidence fit
each violation type, the statement and file limits, deadlines and phrases; optionally what a report
of another seller needs (`reports`) and which of its rules prevent each evidence-deficiency code the
platform returns (`deficiency_codes`); and lists rules. Each rule picks one of the check kinds the
preflight engine knows (check_kinds.KINDS) and gives it parameters, a severity, the case modes it
applies to, and bilingual message/fix templates. The built-in packs live in the
`rulepacks` package; `<workspace>/rulepacks/<platform>.yaml` replaces the built-in one.
"""

from __future__ import annotations

import importlib.resources
import re
import string
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from autofill.check_kinds import (
    COMMON_PLACEHOLDERS,
    KINDS,
    ConfirmationParams,
    FactsParams,
    NoticeAppealableParams,
    PhrasesParams,
    ReportFieldParams,
)
from autofill.errors import BadInput
from autofill.workspace import Workspace
from autofill.yamlfile import bad_input, read_yaml

Severity = Literal["error", "warning"]
Mode = Literal["appeal", "supplement", "report"]  # what the case is about to send
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """The same sentence in Chinese and English; templates use {placeholders}."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _regex(value: str, what: str) -> str:
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"not a valid regular expression for {what}: {err}") from err
    return value


# --- evidence --------------------------------------------------------------------------------
class EvidenceKind(_Strict):
    label: Text
    example_file: str  # the file name the scaffold's checklist suggests
    scan: bool = False  # a scanned document: the minimum dpi applies


class EvidenceRequirement(_Strict):
    """One line of a violation's evidence checklist: any of these kinds (and this standard)."""

    any_of: tuple[str, ...] = Field(min_length=1)
    standard: str | None = None  # for certificates: CE, FCC, UKCA, SAR...
    level: Literal["required", "recommended"] = "required"
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"any_of": [data]}
        if isinstance(data, dict) and "kind" in data:
            data = dict(data)
            data["any_of"] = [data.pop("kind")]
        return data

    def satisfied_by(self, kind: str, standard: str | None) -> bool:
        if kind not in self.any_of:
            return False
        if self.standard is None:
            return True
        return (standard or "").strip().casefold() == self.standard.casefold()


class AppealTypeOption(_Strict):
    label: str = Field(min_length=1)  # the option exactly as the Appeal form shows it
    evidence: tuple[EvidenceRequirement, ...] = ()
    facts: str = "<facts>"  # the placeholder the draft leaves for the seller


class ViolationMatch(_Strict):
    """Exact platform words first (any of them); then a prefix or a regular expression."""

    exact: tuple[str, ...] = ()
    prefix: str | None = None
    pattern: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return None if value is None else _regex(value, "pattern")

    @model_validator(mode="after")
    def _something(self) -> ViolationMatch:
        if not (self.exact or self.prefix or self.pattern):
            raise ValueError("give exact, prefix or pattern")
        return self


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


class Violation(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    match: ViolationMatch | None = None  # None only for the fallback
    appealable: bool = True
    # Why it cannot be appealed, as a key notice_appealable rules pick (params.refusals), so that
    # each reason gets its own message and fix (from a report; returned for editing...).
    refusal: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    appeal_types: tuple[AppealTypeOption, ...] = ()
    evidence: tuple[EvidenceRequirement, ...] = ()  # needed whatever the appeal type

    @model_validator(mode="after")
    def _has_types(self) -> Violation:
        if self.appealable and self.refusal:
            raise ValueError("refusal is for violations that are not appealable "
                             "(set appealable: false)")
        if self.appealable and not self.appeal_types:
            raise ValueError("an appealable violation needs at least one appeal type")
        return self

    def option(self, label: str) -> AppealTypeOption | None:
        for option in self.appeal_types:
            if option.label == label:
                return option
        return None

    def requirements(self, appeal_type: str) -> tuple[EvidenceRequirement, ...]:
        option = self.option(appeal_type)
        return self.evidence + (option.evidence if option else ())


# --- limits ----------------------------------------------------------------------------------
class StatementRules(_Strict):
    language: Literal["en", "zh"]
    recommended_chars: int = Field(gt=0)
    max_chars: int = Field(gt=0)
    placeholder_pattern: str = r"<[^<>\n]{1,120}>"
    near_duplicate_threshold: float = Field(gt=0, le=1)
    draft: str = Field(min_length=1)  # may use {facts} and the common placeholders

    @field_validator("placeholder_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _regex(value, "placeholder_pattern")

    @model_validator(mode="after")
    def _order(self) -> StatementRules:
        if self.recommended_chars > self.max_chars:
            raise ValueError("recommended_chars must not exceed max_chars")
        return self


class AcceptedType(_Strict):
    type: str  # as evidence.sniff names it: pdf, jpeg, png...
    extensions: tuple[str, ...] = Field(min_length=1)

    @field_validator("extensions")
    @classmethod
    def _dotted(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(e.lower() if e.startswith(".") else f".{e.lower()}" for e in value)


def _accepted_type(accepted: tuple[AcceptedType, ...], extension: str) -> AcceptedType | None:
    for one in accepted:
        if extension.lower() in one.extensions:
            return one
    return None


class UploadField(_Strict):
    """One file input of a form that has several (图片证据 / 视频证据 / 聊天记录截图): the evidence
    kinds uploaded through it and its own limits (the pack's `files` values where not given)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text  # the field's label on the form
    kinds: tuple[str, ...] = ()  # evidence kinds sent through it; the one without takes the rest
    accepted: tuple[AcceptedType, ...] | None = None
    max_mb: float | None = Field(default=None, gt=0)
    max_files: int | None = Field(default=None, gt=0)
    counts_toward_min: bool = True  # whether its files count for min_files


@dataclass(frozen=True)
class Upload:
    """A file input with its limits resolved: the checks' view of where an evidence file goes."""

    name: str
    label: Text
    accepted: tuple[AcceptedType, ...]
    max_mb: float
    max_files: int
    counts_toward_min: bool = True

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def accepted_type(self, extension: str) -> AcceptedType | None:
        return _accepted_type(self.accepted, extension)


class FileRules(_Strict):
    """A form's uploads: one file input with these limits, or several `fields`."""

    label: Text = Text(zh="证据文件", en="evidence files")  # the single file input's label
    accepted: tuple[AcceptedType, ...] = Field(min_length=1)
    max_mb: float = Field(gt=0)
    min_files: int = Field(default=1, ge=0)
    max_files: int = Field(gt=0)
    min_dpi: int | None = Field(default=None, gt=0)  # None: no resolution rule for scans
    assumed_page_mm: tuple[float, float] = (210.0, 297.0)  # a JPEG scan without dpi metadata
    filename_chars: str  # a regular expression for one allowed character
    fields: tuple[UploadField, ...] = ()

    @field_validator("filename_chars")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _regex(value, "filename_chars")

    @model_validator(mode="after")
    def _one_catch_all(self) -> FileRules:
        if self.fields and sum(1 for f in self.fields if not f.kinds) != 1:
            raise ValueError("exactly one of fields must have no kinds (it takes the rest)")
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("fields: each name once")
        return self

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def accepted_type(self, extension: str) -> AcceptedType | None:
        return _accepted_type(self.accepted, extension)

    def uploads(self) -> tuple[Upload, ...]:
        """Every file input of the form, limits resolved."""
        if not self.fields:
            return (Upload("files", self.label, self.accepted, self.max_mb, self.max_files),)
        return tuple(
            Upload(
                f.name,
                f.label,
                f.accepted or self.accepted,
                f.max_mb or self.max_mb,
                f.max_files or self.max_files,
                f.counts_toward_min,
            )
            for f in self.fields
        )

    def upload_for(self, kind: str) -> Upload:
        """The file input an evidence file of `kind` goes through."""
        uploads = self.uploads()
        for field, upload in zip(self.fields, uploads, strict=False):
            if kind in field.kinds:
                return upload
        for field, upload in zip(self.fields, uploads, strict=False):
            if not field.kinds:
                return upload
        return uploads[0]


class Deadlines(_Strict):
    info_request_business_days: int | None = Field(default=None, gt=0)
    # The appeal window counted from the notice's delivery (not from when it was read); used when
    # the scan read no deadline of its own for the notice.
    appeal_window_hours: int | None = Field(default=None, gt=0)


class ReportRules(_Strict):
    """What a report of another seller's violation needs: the report types the form offers, with
    the evidence each needs; the report form's uploads (default: `files`); the scaffold's draft."""

    types: tuple[AppealTypeOption, ...] = Field(min_length=1)
    evidence: tuple[EvidenceRequirement, ...] = ()  # needed whatever the type
    files: FileRules | None = None
    draft: str = Field(min_length=1)  # may use {facts} and the common placeholders

    def option(self, label: str) -> AppealTypeOption | None:
        for option in self.types:
            if option.label == label:
                return option
        return None

    def requirements(self, report_type: str) -> tuple[EvidenceRequirement, ...]:
        option = self.option(report_type)
        return self.evidence + (option.evidence if option else ())


class DeficiencyCode(_Strict):
    """An evidence-deficiency code the platform returns on a rejection, the checklist item it
    refers to, and the rules of this pack that catch the deficiency before anything is sent."""

    label: Text
    checklist: str = Field(min_length=1)  # the item, in the platform's words
    rules: tuple[str, ...] = Field(min_length=1)


# --- rules --------------------------------------------------------------------------------
P = TypeVar("P", bound=BaseModel)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: str
    severity: Severity
    params: dict[str, Any] = Field(default_factory=dict)
    # The case modes it applies to: a new appeal, a supplement answering a request for more
    # material, a report of another seller (the `report` case kind).
    modes: tuple[Mode, ...] = ("appeal", "supplement", "report")
    message: Text
    fix: Text
    _typed: BaseModel | None = PrivateAttr(default=None)

    def typed_params(self, cls: type[P]) -> P:
        """The params as the kind's model (validated when the pack was loaded)."""
        typed = self._typed if self._typed is not None else cls.model_validate(self.params)
        if not isinstance(typed, cls):
            raise TypeError(f"rule {self.id}: params are not {cls.__name__}")
        return typed


class Rulepack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    platform: str
    source: str
    effective_date: date
    statement: StatementRules
    files: FileRules
    deadlines: Deadlines
    phrases: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    evidence_kinds: dict[str, EvidenceKind] = Field(min_length=1)
    violations: tuple[Violation, ...] = ()
    fallback: Violation
    reports: ReportRules | None = None  # None: the platform takes no reports through autofill
    deficiency_codes: dict[str, DeficiencyCode] = Field(default_factory=dict)
    rules: tuple[Rule, ...] = Field(min_length=1)
    _origin: str = PrivateAttr(default="")

    @property
    def origin(self) -> str:
        """Where this pack was read from (a file path or 'built-in')."""
        return self._origin

    def violation_for(self, violation_type: str) -> Violation:
        """The violation whose exact words match, else the first prefix/pattern, else fallback."""
        words = _words(violation_type)
        for violation in self.violations:
            if violation.match and any(_words(e) == words for e in violation.match.exact):
                return violation
        for violation in self.violations:
            match = violation.match
            if match is None:
                continue
            if match.prefix and words.startswith(_words(match.prefix)):
                return violation
            if match.pattern and re.search(match.pattern, violation_type, re.IGNORECASE):
                return violation
        return self.fallback

    def files_for(self, mode: Mode) -> FileRules:
        """The upload rules of the form a case in `mode` is sent through."""
        if mode == "report" and self.reports is not None and self.reports.files is not None:
            return self.reports.files
        return self.files

    def rules_for_code(self, code: str) -> tuple[Rule, ...]:
        """The rules that prevent an evidence-deficiency code; () for a code the pack omits."""
        found = self.deficiency_codes.get(code.strip().upper())
        wanted = set(found.rules) if found else set()
        return tuple(r for r in self.rules if r.id in wanted)

    def kind_label(self, kind: str) -> Text:
        known = self.evidence_kinds.get(kind)
        return known.label if known else Text(zh=kind, en=kind)

    def requirement_label(self, requirement: EvidenceRequirement) -> Text:
        zh = " / ".join(self.kind_label(k).zh for k in requirement.any_of)
        en = " or ".join(self.kind_label(k).en for k in requirement.any_of)
        if requirement.standard:
            zh, en = f"{zh}（{requirement.standard}）", f"{en} ({requirement.standard})"
        return Text(zh=zh, en=en)


# --- loading ---------------------------------------------------------------------------------
def builtin_text(platform: str) -> str | None:
    """The built-in pack's YAML text (to copy into a workspace and edit), or None."""
    resource = importlib.resources.files("rulepacks").joinpath(f"{platform}.yaml")
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def load_rulepack(platform: str, workspace: Workspace | None = None) -> Rulepack:
    """The workspace's `rulepacks/<platform>.yaml` if there is one, else the built-in pack."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", platform):
        raise BadInput(f"'{platform}' is not a platform name.")
    if workspace is not None:
        override = workspace.rulepack_dir / f"{platform}.yaml"
        if override.is_file():
            pack = parse_rulepack(read_yaml(override, str(override)), str(override))
            if pack.platform != platform:
                raise BadInput(f"{override}: platform: expected {platform}, got {pack.platform}.")
            return pack
    resource = importlib.resources.files("rulepacks").joinpath(f"{platform}.yaml")
    if not resource.is_file():
        raise BadInput(
            f"There is no rulepack for platform '{platform}'.",
            f"Add one as {workspace.rulepack_dir if workspace else 'rulepacks'}/{platform}.yaml.",
        )
    with importlib.resources.as_file(resource) as path:
        data = read_yaml(path, f"rulepacks/{platform}.yaml (built-in)")
    return parse_rulepack(data, "built-in")


def parse_rulepack(data: Any, display: str) -> Rulepack:
    """Validate a parsed pack: structure, then every rule's kind, params and templates."""
    try:
        pack = Rulepack.model_validate(data)
    except ValidationError as err:
        raise bad_input(err, display) from err
    _check_references(pack, display)
    for index, rule in enumerate(pack.rules):
        _check_rule(pack, rule, display, f"rules[{index}] ({rule.id})")
    seen: set[str] = set()
    for rule in pack.rules:
        if rule.id in seen:
            raise BadInput(f"{display}: rule id '{rule.id}' is used twice.")
        seen.add(rule.id)
    pack._origin = display
    return pack


def _check_references(pack: Rulepack, display: str) -> None:
    for group, patterns in pack.phrases.items():
        for i, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as err:
                raise BadInput(
                    f"{display}: phrases.{group}[{i}]: not a regular expression: {err}."
                ) from err
    known = set(pack.evidence_kinds)
    for path, requirements in _checklists(pack):
        for k, requirement in enumerate(requirements):
            unknown = [kind for kind in requirement.any_of if kind not in known]
            if unknown:
                raise BadInput(
                    f"{display}: {path}[{k}]: unknown evidence kind '{unknown[0]}' "
                    f"(known: {', '.join(sorted(known))})."
                )
    uploads = [("files", pack.files)]
    if pack.reports is not None and pack.reports.files is not None:
        uploads.append(("reports.files", pack.reports.files))
    for path, files in uploads:
        for i, upload in enumerate(files.fields):
            for kind in upload.kinds:
                if kind not in known:
                    raise BadInput(
                        f"{display}: {path}.fields[{i}].kinds: unknown evidence kind '{kind}'."
                    )
    draft_fields = COMMON_PLACEHOLDERS | {"facts"}
    _check_template(pack.statement.draft, draft_fields, f"{display}: statement.draft")
    if pack.reports is not None:
        _check_template(pack.reports.draft, draft_fields, f"{display}: reports.draft")
    rule_ids = {rule.id for rule in pack.rules}
    for code, deficiency in pack.deficiency_codes.items():
        for rule_id in deficiency.rules:
            if rule_id not in rule_ids:
                raise BadInput(
                    f"{display}: deficiency_codes.{code}.rules: no rule '{rule_id}' in rules."
                )


def _checklists(pack: Rulepack) -> list[tuple[str, tuple[EvidenceRequirement, ...]]]:
    """Every evidence checklist of the pack, with where it is written."""
    found: list[tuple[str, tuple[EvidenceRequirement, ...]]] = []
    violations = [(f"violations[{i}]", v) for i, v in enumerate(pack.violations)]
    for where, violation in [*violations, ("fallback", pack.fallback)]:
        found.append((f"{where}.evidence", violation.evidence))
        found += [
            (f"{where}.appeal_types[{j}].evidence", o.evidence)
            for j, o in enumerate(violation.appeal_types)
        ]
    if pack.reports is not None:
        found.append(("reports.evidence", pack.reports.evidence))
        found += [
            (f"reports.types[{j}].evidence", o.evidence) for j, o in enumerate(pack.reports.types)
        ]
    return found


def _check_rule(pack: Rulepack, rule: Rule, display: str, field: str) -> None:
    where = f"{display}: {field}"
    kind = KINDS.get(rule.kind)
    if kind is None:
        raise BadInput(
            f"{where}.kind: unknown check kind '{rule.kind}' (known: {', '.join(KINDS)})."
        )
    try:
        typed = kind.params.model_validate(rule.params)
    except ValidationError as err:
        raise bad_input(err, display, prefix=f"{field}.params") from err
    if isinstance(typed, PhrasesParams) and typed.phrases not in pack.phrases:
        raise BadInput(f"{where}.params.phrases: no phrase group '{typed.phrases}' in phrases.")
    if isinstance(typed, ConfirmationParams):
        for name in typed.when_kinds:
            if name not in pack.evidence_kinds:
                raise BadInput(f"{where}.params.when_kinds: unknown evidence kind '{name}'.")
    if isinstance(typed, FactsParams):
        for name in typed.required:
            if name not in pack.evidence_kinds:
                raise BadInput(f"{where}.params.required: unknown evidence kind '{name}'.")
    if isinstance(typed, NoticeAppealableParams):
        refusals = {v.refusal for v in (*pack.violations, pack.fallback) if v.refusal}
        for name in typed.refusals:
            if name not in refusals:
                raise BadInput(f"{where}.params.refusals: no violation has refusal '{name}'.")
    if isinstance(typed, ReportFieldParams) and typed.report_types:
        offered = {o.label for o in pack.reports.types} if pack.reports else set()
        for name in typed.report_types:
            if name not in offered:
                raise BadInput(f"{where}.params.report_types: no report type '{name}' in reports.")
    rule._typed = typed
    allowed = COMMON_PLACEHOLDERS | kind.placeholders
    for lang in LANGS:
        _check_template(rule.message(lang), allowed, f"{where}.message.{lang}")
        _check_template(rule.fix(lang), allowed, f"{where}.fix.{lang}")


def _check_template(template: str, allowed: frozenset[str], where: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as err:
        raise BadInput(
            f"{where}: bad template ({err}); write a literal brace as {{{{ or }}}}."
        ) from err
    for name in fields:
        if name not in allowed:
            raise BadInput(
                f"{where}: unknown placeholder {{{name}}} (this rule can use: "
                f"{', '.join('{' + n + '}' for n in sorted(allowed))})."
            )
