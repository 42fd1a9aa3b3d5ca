"""Text helpers the statement checks share: normalising, citing, and near-duplicate shingles."""

from __future__ import annotations

import re
import unicodedata

SHINGLE = 5  # characters: works for any script, and survives small edits such as a changed ID


def squash(text: str) -> str:
    """Case- and whitespace-insensitive form, for 'is this the same text' comparisons."""
    return " ".join(text.split()).casefold()


def cites(statement: str, value: str) -> bool:
    """Whether `statement` names `value` as a whole: 'NTF-20417' is cited by 'ntf 20417' but
    'NTF-1' is not cited by 'NTF-10'; separators may differ (space, dash, dot, slash)."""
    parts = re.findall(r"[^\W_]+", value)
    if not parts:
        return False
    body = r"[\s\-_./]*".join(re.escape(p) for p in parts)
    pattern = rf"(?<![^\W_]){body}(?![^\W_])"
    return re.search(pattern, statement, re.IGNORECASE) is not None


def shingles(text: str) -> frozenset[str]:
    flat = squash(text)
    if len(flat) <= SHINGLE:
        return frozenset({flat}) if flat else frozenset()
    return frozenset(flat[i : i + SHINGLE] for i in range(len(flat) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str], at_least: float = 0.0) -> float:
    """|a & b| / |a | b|; 0 early when the sizes alone keep it under `at_least`."""
    if not a or not b:
        return 0.0
    small, large = sorted((len(a), len(b)))
    if small / large < at_least:  # the best case, a within b, is still too far
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def has_placeholder(text: str, pattern: str) -> bool:
    return re.search(pattern, text) is not None


_CJK_PUNCTUATION = re.compile("[\u3000-\u303f\uff00-\uffef]")
# Scripts that make a statement "not English". Greek stays allowed: µA, Ω and λ are units.
_FOREIGN_SCRIPTS = (
    "CJK", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "CYRILLIC", "ARABIC",
    "HEBREW", "THAI", "DEVANAGARI", "YI ",
)


def foreign_for_english(text: str) -> str:
    """The first run of characters an English statement should not have (CJK, Cyrillic...)."""
    run = ""
    for ch in text:
        if _not_english(ch):
            run += ch
            if len(run) >= 12:
                break
        elif run:
            break
    return run


def _not_english(ch: str) -> bool:
    if _CJK_PUNCTUATION.match(ch):
        return True
    if not ch.isalpha():
        return False
    return unicodedata.name(ch, "").startswith(_FOREIGN_SCRIPTS)


def has_han(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)
