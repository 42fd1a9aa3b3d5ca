"""`autofill case new NOTICE_ID`: a case bundle scaffolded from the scanned notice and the rulepack.

The case.yaml it writes picks the first appeal type the violation offers, lists the evidence that
type needs as commented entries for the seller to un-comment, leaves every confirmation false, and
drafts an English statement citing the notification ID and rule reference, with a <facts>
placeholder that `autofill check` reports until the seller replaces it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from autofill.bundle import CASE_FILE
from autofill.check_kinds import ConfirmationParams
from autofill.errors import BadInput
from autofill.models import Listing, Notice
from autofill.rulepack import AppealTypeOption, EvidenceRequirement, Rulepack
from autofill.store import Store
from autofill.workspace import Workspace

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")


def new_case(
    workspace: Workspace, store: Store, notice_id: str, rulepack: Rulepack, *, lang: str = "en"
) -> Path:
    """Write cases/<notice id>/case.yaml and return the case folder; never overwrites a case."""
    found = store.find_notice(notice_id)
    if found is None:
        raise BadInput(
            f"Notification {notice_id} is not in the local data.",
            "Run `autofill scan` first, then `autofill case new` with an ID the scan listed.",
        )
    store_name, notice = found
    if not _SAFE_ID.fullmatch(notice_id) or ".." in notice_id:
        raise BadInput(f"Notification ID {notice_id!r} cannot be used as a folder name.")
    violation = rulepack.violation_for(notice.violation_type)
    if not notice.appealable or not violation.appealable:
        raise BadInput(
            f"Notification {notice_id} ({notice.violation_type}) is a final decision and "
            "cannot be appealed."
        )
    listings = {x.listing_id: x for x in store.listings(store_name, open_only=False)}
    listing_ids = list(notice.listing_ids) or [
        x.listing_id for x in listings.values() if x.notice_id == notice_id
    ]
    if not listing_ids:
        raise BadInput(f"Notification {notice_id} names no listings; run `autofill scan` again.")
    account = store.account(store_name)
    text = render_case(
        store_name=store_name,
        notice=notice,
        listings=[listings[i] for i in listing_ids if i in listings],
        listing_ids=listing_ids,
        legal_name=account.legal_name if account else "",
        rulepack=rulepack,
        lang=lang,
    )
    case_dir = workspace.case_dir(notice_id)
    target = case_dir / CASE_FILE
    case_dir.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as err:
        raise BadInput(
            f"{target} already exists.",
            "Edit it, or move it away to scaffold the case again.",
        ) from err
    return case_dir


def render_case(
    *,
    store_name: str,
    notice: Notice,
    listings: list[Listing],
    listing_ids: list[str],
    legal_name: str,
    rulepack: Rulepack,
    lang: str = "en",
) -> str:
    """The case.yaml text (comments included) for this notice."""
    violation = rulepack.violation_for(notice.violation_type)
    option = violation.appeal_types[0]
    others = violation.appeal_types[1:]
    models = sorted({x.model for x in listings if x.model.strip()})
    draft = rulepack.statement.draft.format(
        notice_id=notice.notice_id,
        rule_ref=notice.rule_ref or "<rule reference>",
        violation_type=notice.violation_type,
        appeal_type=option.label,
        facts=option.facts,
        case=notice.notice_id,
        store=store_name,
        platform=rulepack.platform,
    )
    limits = rulepack.statement
    lines = [
        f"# Appeal for notification {notice.notice_id}: {notice.violation_type}"
        + (f" (rule {notice.rule_ref})" if notice.rule_ref else ""),
        f"# Scaffolded from rulepack {rulepack.platform} {rulepack.version}. "
        f"Check it with: autofill check cases/{notice.notice_id}",
        "schema_version: 1",
        "kind: appeal",
        f"store: {_q(store_name)}",
        f"platform: {rulepack.platform}",
        f"notice_id: {_q(notice.notice_id)}",
        "listing_ids:",
        *(f"  - {_q(i)}" for i in listing_ids),
        _t(lang, "# Appeal types offered for this violation: ", "# 此违规可选的申诉类型：")
        + "; ".join(o.label for o in violation.appeal_types),
        f"appeal_type: {_q(option.label)}",
        _t(
            lang,
            f"# Statement: in {_LANGUAGE[limits.language][0]} only; {limits.recommended_chars} "
            f"characters or fewer recommended, {limits.max_chars} at most.",
            f"# 申诉说明：只能用{_LANGUAGE[limits.language][1]}；建议不超过 "
            f"{limits.recommended_chars} 个字符，最多 {limits.max_chars} 个。",
        ),
        _t(lang, "# Replace every <...> with the facts, in your own words.",
           "# 把每个 <...> 替换为你自己的事实陈述。"),
        "statement: |-",
        *(f"  {line}" for line in draft.splitlines()),
        "evidence:",
        _t(lang, f"  # Evidence checklist for \"{option.label}\". Put each file in this folder,",
           f"  # 「{option.label}」所需材料清单：把文件放进本文件夹，然后"),
        _t(lang, "  # then un-comment its entry (delete the \"# \" after the two spaces) and",
           "  # 取消对应条目的注释（删去两个空格后的 \"# \"）并填写事实。"),
        *([] if lang == "zh" else ["  # fill in the facts."]),
    ]
    for requirement in violation.requirements(option.label):
        lines += _checklist_entry(requirement, rulepack, models, legal_name, lang)
    for other in others:
        lines += _other_option(other, violation.evidence, rulepack, lang)
    lines += [
        "confirmations:",
        _t(lang, "  # What no program can check: set each to true once sure.",
           "  # 程序无法核对的事项：确认无误后逐项设为 true。"),
    ]
    for field, hint in _confirmations(rulepack, lang):
        lines.append(f"  {field}: false  # {hint}")
    return "\n".join(lines) + "\n"


def _checklist_entry(
    requirement: EvidenceRequirement,
    rulepack: Rulepack,
    models: list[str],
    legal_name: str,
    lang: str,
) -> list[str]:
    kind = requirement.any_of[0]
    label = rulepack.requirement_label(requirement)(lang)
    required = requirement.level == "required"
    heading = _t(lang, "Required" if required else "Recommended", "必需" if required else "建议")
    out = ["  #", f"  # {heading}: {label}"]
    if requirement.note:
        out.append(f"  #   ({requirement.note(lang)})")
    example = rulepack.evidence_kinds[kind].example_file
    out += [f"  # - file: {_q(example)}", f"  #   kind: {kind}"]
    if kind == "certificate":
        out += [
            f"  #   standard: {_q(requirement.standard) if requirement.standard else ''}"
            + ("" if requirement.standard else "  # CE, FCC, UKCA, SAR..."),
            "  #   issuer:   # the issuing body, as printed on the certificate",
            "  #   number:",
            "  #   expires:  # YYYY-MM-DD",
            f"  #   models: {json.dumps(models, ensure_ascii=False)}"
            "  # every listing's model must be covered",
        ]
    elif kind == "authorization":
        out += [
            "  #   brand:",
            "  #   licensor:  # level 1: the brand owner",
            f"  #   licensee: {_q(legal_name) if legal_name else ''}"
            "  # at the last level: your store's legal name, exactly",
            "  #   level: 1  # 1 = brand owner -> first licensee; one entry per level of the chain",
            "  #   expires:  # YYYY-MM-DD, if the authorization has an end date",
        ]
    return out


def _other_option(
    option: AppealTypeOption,
    common: tuple[EvidenceRequirement, ...],
    rulepack: Rulepack,
    lang: str,
) -> list[str]:
    needs = [
        rulepack.requirement_label(r)(lang)
        for r in (*common, *option.evidence)
        if r.level == "required"
    ]
    return ["  #", _t(lang, f"  # With appeal type \"{option.label}\" instead, you need: ",
                      f"  # 如改选「{option.label}」，需要：") + "; ".join(needs)]


def _confirmations(rulepack: Rulepack, lang: str) -> list[tuple[str, str]]:
    """Each confirmation field once, with its rule's fix as the hint."""
    seen: dict[str, str] = {}
    for rule in rulepack.rules:
        if rule.kind == "confirmation":
            field = rule.typed_params(ConfirmationParams).field
            hint = rule.fix(lang).replace("{field}", field)
            seen.setdefault(field, " ".join(hint.split()))
    return list(seen.items())


_LANGUAGE = {"en": ("English", "英文"), "zh": ("Chinese", "中文")}


def _t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)
