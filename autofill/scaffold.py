"""`autofill case new NOTICE_ID`: a case bundle scaffolded from the scanned notice and the rulepack;
`new_report`: a report bundle (kind: report) for a report type and its target.

The case.yaml it writes picks the first appeal type the violation offers, lists the evidence that
type needs as commented entries for the seller to un-comment (with the facts the pack's rules ask
each kind to declare), leaves every confirmation false, and drafts a statement in the pack's
language citing the notification ID and rule reference, with a <facts> placeholder that
`autofill check` reports until the seller replaces it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from autofill.bundle import CASE_FILE, DocumentEvidence
from autofill.check_kinds import ConfirmationParams, FactsParams
from autofill.errors import BadInput
from autofill.models import Listing, Notice
from autofill.rulepack import AppealTypeOption, EvidenceRequirement, Mode, Rulepack, Upload
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
    lines += _confirmation_lines(rulepack, lang)
    return "\n".join(lines) + "\n"


def _confirmation_lines(rulepack: Rulepack, lang: str) -> list[str]:
    lines = [
        "confirmations:",
        _t(lang, "  # What no program can check: set each to true once sure.",
           "  # 程序无法核对的事项：确认无误后逐项设为 true。"),
    ]
    for field, hint in _confirmations(rulepack, lang):
        lines.append(f"  {field}: false  # {hint}")
    return lines


def new_report(
    workspace: Workspace,
    store_name: str,
    report_type: str,
    target: str,
    rulepack: Rulepack,
    *,
    order_numbers: Iterable[str] = (),
    lang: str = "en",
    now: datetime | None = None,
) -> Path:
    """Write cases/report-<YYYYMMDD>-<n>/case.yaml for a report of `report_type` against
    `target` (a store name or a product link) and return the folder; never overwrites a case."""
    reports = rulepack.reports
    if reports is None:
        raise BadInput(f"The {rulepack.platform} rulepack has no report rules: "
                       f"{rulepack.platform} reports are not supported.")
    if reports.option(report_type) is None:
        raise BadInput(
            f"Report type {report_type!r} is not one of the report form's options.",
            f"Use one of: {', '.join(o.label for o in reports.types)}.",
        )
    orders = list(order_numbers)
    day = (now or datetime.now(timezone.utc)).strftime("%Y%m%d")
    for n in range(1, 1000):
        case_id = f"report-{day}-{n}"
        case_dir = workspace.case_dir(case_id)
        if (case_dir / CASE_FILE).exists():
            continue
        text = render_report(store_name=store_name, report_type=report_type, target=target,
                             order_numbers=orders, rulepack=rulepack, lang=lang,
                             case_id=case_id)
        case_dir.mkdir(parents=True, exist_ok=True)
        try:
            with (case_dir / CASE_FILE).open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            continue  # taken in the meantime: the next number
        return case_dir
    raise BadInput(f"Too many reports dated {day} in {workspace.cases_dir}.")


def render_report(
    *,
    store_name: str,
    report_type: str,
    target: str,
    order_numbers: list[str],
    rulepack: Rulepack,
    lang: str = "en",
    case_id: str = "<case>",
) -> str:
    """The case.yaml text (comments included) of a report."""
    reports = rulepack.reports
    option = reports.option(report_type) if reports else None
    if reports is None or option is None:
        raise BadInput(f"Report type {report_type!r} is not offered by the {rulepack.platform} "
                       "rulepack.")
    draft = reports.draft.format(
        report_type=report_type,
        target=target or "<target>",
        facts=option.facts,
        case=case_id,
        store=store_name,
        platform=rulepack.platform,
        notice_id="",
        rule_ref="",
        violation_type="",
        appeal_type="",
    )
    limits = rulepack.statement
    uploads = "; ".join(
        f"{u.label(lang)}: {'/'.join(a.type.upper() for a in u.accepted)}, "
        + _t(lang, f"at most {u.max_files} files of {u.max_mb:g} MB",
             f"最多 {u.max_files} 个，每个不超过 {u.max_mb:g} MB")
        for u in rulepack.files_for("report").uploads()
    )
    lines = [
        f"# Report ({report_type}) against {target}" if target else f"# Report ({report_type})",
        f"# Scaffolded from rulepack {rulepack.platform} {rulepack.version}. "
        f"Check it with: autofill check cases/{case_id}",
        "schema_version: 1",
        "kind: report",
        f"store: {_q(store_name)}",
        f"platform: {rulepack.platform}",
        _t(lang, "# Report types the form offers: ", "# 举报表单可选的举报类型：")
        + "; ".join(o.label for o in reports.types),
        f"report_type: {_q(report_type)}",
        _t(lang, "# The reported store's name, or the product link.",
           "# 被举报店铺名称，或被举报商品链接。"),
        f"target: {_q(target)}",
        _t(lang, "# The orders concerned (digits only), one per line.",
           "# 涉及的订单号（仅数字），每行一个。"),
        "order_numbers:" + ("" if order_numbers else " []"),
        *(f"  - {_q(n)}" for n in order_numbers),
        _t(
            lang,
            f"# Statement: in {_LANGUAGE[limits.language][0]}; {limits.max_chars} characters "
            "at most.",
            f"# 举报说明：使用{_LANGUAGE[limits.language][1]}；最多 {limits.max_chars} 个字符。",
        ),
        "statement: |-",
        *(f"  {line}" for line in draft.splitlines()),
        "evidence:",
        _t(lang, f"  # Uploads: {uploads}.", f"  # 上传：{uploads}。"),
        _t(lang, f"  # Evidence checklist for \"{report_type}\". Put each file in this folder,",
           f"  # 「{report_type}」所需材料清单：把文件放进本文件夹，然后"),
        _t(lang, "  # then un-comment its entry (delete the \"# \" after the two spaces) and",
           "  # 取消对应条目的注释（删去两个空格后的 \"# \"）并填写事实。"),
        *([] if lang == "zh" else ["  # fill in the facts."]),
    ]
    for requirement in reports.requirements(report_type):
        lines += _checklist_entry(requirement, rulepack, [], "", lang, mode="report")
    lines += _confirmation_lines(rulepack, lang)
    return "\n".join(lines) + "\n"


def _checklist_entry(
    requirement: EvidenceRequirement,
    rulepack: Rulepack,
    models: list[str],
    legal_name: str,
    lang: str,
    mode: Mode = "appeal",
) -> list[str]:
    kind = requirement.any_of[0]
    label = rulepack.requirement_label(requirement)(lang)
    required = requirement.level == "required"
    heading = _t(lang, "Required" if required else "Recommended", "必需" if required else "建议")
    out = ["  #", f"  # {heading}: {label}"]
    if requirement.note:
        out.append(f"  #   ({requirement.note(lang)})")
    example = _uploadable(rulepack.evidence_kinds[kind].example_file,
                          rulepack.files_for(mode).upload_for(kind))
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
    else:
        out += _declared_facts(rulepack, kind, lang)
    return out


def _uploadable(example: str, upload: Upload) -> str:
    """The example file name, with an extension the file input takes (a report takes no PDF)."""
    path = Path(example)
    if upload.accepted_type(path.suffix) is not None:
        return example
    return path.stem + upload.accepted[0].extensions[0]


# What each declarable fact of a document means, for the checklist's comments.
_FACT_HINTS: dict[str, tuple[str, str]] = {
    "shows_timestamp": ("true once the complete date and time are visible on it",
                        "能看到完整的日期和时间后设为 true"),
    "shows_url_bar": ("true once the screenshot includes the browser's address bar",
                      "截图包含浏览器地址栏后设为 true"),
    "buyer_id": ("the buyer ID exactly as the screenshot shows it", "与截图一致的买家ID"),
    "order_number": ("as shown on the order", "与订单一致"),
    "product_id": ("as shown on the order", "与订单一致"),
    "tracking_number": ("as shown on the order", "与订单一致"),
}


def _declared_facts(rulepack: Rulepack, kind: str, lang: str) -> list[str]:
    """The facts the pack's evidence_facts rules ask a document of `kind` to declare."""
    names: dict[str, None] = {}
    for rule in rulepack.rules:
        if rule.kind == "evidence_facts":
            for name in rule.typed_params(FactsParams).required.get(kind, ()):
                names.setdefault(name)
    out = []
    for name in names:
        en, zh = _FACT_HINTS.get(name, ("", ""))
        hint = f"  # {_t(lang, en, zh)}" if en else ""
        boolean = DocumentEvidence.model_fields[name].annotation == (bool | None)
        out.append(f"  #   {name}:{' false' if boolean else ''}{hint}")
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
