"""Case bundles: cases/<case-id>/case.yaml plus the evidence files, self-contained and portable.

`case.yaml` is versioned (`schema_version`) and typed by `kind`, a union discriminated in
CASE_KINDS: an `appeal` answers one notice (and, sent as a supplement, the platform's request for
more material on that appeal); a `report` tells the platform about another seller's violation
(AliExpress 举报中心). Evidence paths are relative and must stay inside the bundle, also after
symlinks are resolved.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
)

from autofill.errors import BadInput
from autofill.models import Platform
from autofill.yamlfile import read_yaml, validate

CASE_FILE = "case.yaml"
SCHEMA_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _none_to_empty(value: Any) -> Any:
    """An empty YAML key (`evidence:` with its entries still commented out) means 'none yet'."""
    return () if value is None else value


class Confirmations(_Strict):
    """What no program can verify: the seller confirms it, and check reports it until then."""

    stamp_or_signature_present: bool = False
    documents_unedited: bool = False
    certificate_matches_product: bool = False  # the certificate shows this product and its label


_KIND = r"^[a-z][a-z0-9_]*$"


class _EvidenceBase(_Strict):
    file: str = Field(min_length=1)
    note: str = ""


class CertificateEvidence(_EvidenceBase):
    kind: Literal["certificate"]
    standard: str | None = None  # CE, FCC, UKCA, SAR...
    issuer: str | None = None
    number: str | None = None
    expires: date | None = None
    models: tuple[str, ...] = ()

    _models = field_validator("models", mode="before")(_none_to_empty)


class AuthorizationEvidence(_EvidenceBase):
    """One link of an authorization chain: level 1 is brand owner -> first licensee."""

    kind: Literal["authorization"]
    brand: str | None = None
    licensor: str | None = None
    licensee: str | None = None
    level: int | None = Field(default=None, ge=1)
    expires: date | None = None


class DocumentEvidence(_EvidenceBase):
    """Any other evidence kind the rulepack names (label_photo, listing_screenshot...), with the
    facts about it that the seller declares because no program can read them off a screenshot;
    which kind must declare which facts is the rulepack's business (evidence_facts rules)."""

    kind: str = Field(pattern=_KIND)
    shows_timestamp: bool | None = None  # the complete, verifiable time is visible on it
    shows_url_bar: bool | None = None  # a web page screenshot that includes the address bar
    buyer_id: str | None = None  # a chat record: the buyer ID as the screenshot shows it
    order_number: str | None = None  # order evidence: as shown on the document
    product_id: str | None = None
    tracking_number: str | None = None

    @field_validator("buyer_id", "order_number", "product_id", "tracking_number", mode="before")
    @classmethod
    def _digits_as_text(cls, value: Any) -> Any:
        """IDs are text, but a bare 16-digit order number reads from YAML as an integer."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _evidence_tag(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if kind in ("certificate", "authorization") else "document"


Evidence = Annotated[
    Annotated[CertificateEvidence, Tag("certificate")]
    | Annotated[AuthorizationEvidence, Tag("authorization")]
    | Annotated[DocumentEvidence, Tag("document")],
    Discriminator(_evidence_tag),
]
AnyEvidence = CertificateEvidence | AuthorizationEvidence | DocumentEvidence
EVIDENCE_TAGS = frozenset({"certificate", "authorization", "document"})


class _CaseBase(_Strict):
    """What every case kind has: the store, the statement, the evidence, the confirmations."""

    schema_version: Literal[1]
    store: str = Field(min_length=1)
    platform: Platform
    statement: str = ""
    evidence: tuple[Evidence, ...] = ()
    confirmations: Confirmations = Confirmations()

    _dir: Path = PrivateAttr(default=Path("."))
    _paths: tuple[Path, ...] = PrivateAttr(default=())

    _evidence = field_validator("evidence", mode="before")(_none_to_empty)

    @field_validator("statement", mode="before")
    @classmethod
    def _blank_statement(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("confirmations", mode="before")
    @classmethod
    def _default_confirmations(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def case_dir(self) -> Path:
        return self._dir

    @property
    def case_id(self) -> str:
        return self._dir.name

    def evidence_path(self, index: int) -> Path:
        """The resolved path of evidence[index] (inside the bundle: load_case made sure)."""
        return self._paths[index]

    def evidence_paths(self) -> tuple[Path, ...]:
        """Every evidence file's resolved path, in case.yaml order."""
        return self._paths


class AppealCase(_CaseBase):
    """An appeal against one notice, for some or all of its listings."""

    kind: Literal["appeal"]
    notice_id: str = Field(min_length=1)
    listing_ids: tuple[str, ...] = Field(min_length=1)
    appeal_type: str = ""

    @field_validator("appeal_type", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return "" if value is None else value


def _order_list(value: Any) -> Any:
    """`order_numbers` as a list; a bare number or "a, b c" (as the form takes them) also reads."""
    if value is None:
        return ()
    if isinstance(value, int) and not isinstance(value, bool):
        return (str(value),)
    if isinstance(value, str):
        return tuple(n for n in re.split(r"[,，\s]+", value) if n)
    if isinstance(value, list | tuple):
        return tuple(str(v) if isinstance(v, int) and not isinstance(v, bool) else v
                     for v in value)
    return value


class ReportCase(_CaseBase):
    """A report of another seller's violation (image theft, counterfeit, fake orders): what it is
    (report_type, in the report form's own words), who (target: a store name or a link), the
    orders concerned, the statement and the evidence."""

    kind: Literal["report"]
    report_type: str = ""
    target: str = ""  # the reported store (name or link) or the product link
    order_numbers: tuple[str, ...] = ()

    _orders = field_validator("order_numbers", mode="before")(_order_list)

    @field_validator("report_type", "target", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return "" if value is None else value


Case = AppealCase | ReportCase
CASE_KINDS: dict[str, type[AppealCase] | type[ReportCase]] = {
    "appeal": AppealCase,
    "report": ReportCase,
}


def load_case(case_dir: Path) -> Case:
    """Read and validate a bundle; any problem is a BadInput naming the file and the field."""
    if case_dir.name == CASE_FILE and case_dir.is_file():
        case_dir = case_dir.parent
    display = str(case_dir / CASE_FILE)
    if not case_dir.is_dir():
        raise BadInput(
            f"{case_dir}: no such case folder.", "Create one with: autofill case new NOTICE_ID"
        )
    data = read_yaml(case_dir / CASE_FILE, display)
    if not isinstance(data, dict):
        raise BadInput(
            f"{display}: expected a mapping (schema_version, kind, store, notice_id, ...) "
            f"at the top level, got {type(data).__name__}."
        )
    version = data.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise BadInput(
            f"{display}: schema_version: expected {SCHEMA_VERSION}, got {version!r}.",
            "This autofill reads case files of schema version 1.",
        )
    kind = data.get("kind")
    model = CASE_KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise BadInput(f"{display}: kind: expected one of {', '.join(CASE_KINDS)}, got {kind!r}.")
    case = validate(model, data, display, drop=EVIDENCE_TAGS)
    paths = []
    for index, item in enumerate(case.evidence):
        try:
            paths.append(resolve_in_bundle(case_dir, item.file))
        except ValueError as err:
            raise BadInput(f"{display}: evidence[{index}].file: {err}") from err
    case._dir = case_dir
    case._paths = tuple(paths)
    return case


def resolve_in_bundle(case_dir: Path, file: str) -> Path:
    """The real path of an evidence file; ValueError saying why when it is not in the bundle."""
    if "\x00" in file:
        raise ValueError("the path contains a NUL character.")
    text = file.replace("\\", "/")  # a path typed on Windows means the same folders
    posix = PurePosixPath(text)
    if posix.is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise ValueError(f"absolute paths are not allowed ({file}); give it inside the bundle.")
    if ".." in posix.parts:
        raise ValueError(f"path escapes the bundle (..): {file}")
    root = case_dir.resolve()
    candidate = case_dir / posix
    try:
        real = candidate.resolve(strict=True)
    except FileNotFoundError as err:
        raise ValueError(f"file not found: {file} (put the file in {case_dir})") from err
    except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop
        raise ValueError(f"cannot be read: {file} ({err})") from err
    if real != root and root not in real.parents:
        raise ValueError(f"path escapes the bundle (symlink to outside): {file}")
    if not real.is_file():
        raise ValueError(f"not a file: {file}")
    return real
