"""Numbers people type: an item's number ("12", "#12") and small counts ("2", "two", "两").

Everything that reads a number from a person's text comes here, so that one rule decides what a
number is: ASCII digits, with the full-width digits of a Chinese keyboard read as the same digits.
Other characters Unicode calls digits ("²", "٣") are not numbers here (`int()` would take some and
choke on others), and an item's number is never larger than a database integer holds.
"""

from __future__ import annotations

from bot.errors import UserError
from store.types import MAX_ID

MAX_COUNT = 999
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＃：－／．", "0123456789#:-/.")
_EN_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def ascii_digits(text: str) -> str:
    """`text` with full-width digits and the signs around them ("＃", "：", "－", "／", "．") written
    as their ASCII selves."""
    return text.translate(_FULL_WIDTH)


def is_digits(word: str) -> bool:
    """Whether `word` is one or more ASCII digits (and nothing else)."""
    return word.isascii() and word.isdigit()


def read_id(text: str, *, bad: str, missing: str) -> int:
    """An item's number as typed ("12", "#12").

    Raises:
        UserError: `bad` when it is not a number; `missing` (with `id`) when it is one no item can
            have (0, or beyond a database integer).
    """
    word = ascii_digits(text.strip()).removeprefix("#")
    if not is_digits(word):
        raise UserError(bad)
    digits = word.lstrip("0") or "0"
    if len(digits) > len(str(MAX_ID)) or not 1 <= int(digits) <= MAX_ID:
        raise UserError(missing, id=digits)
    return int(digits)


def as_id(word: str) -> int | None:
    """An item's number (as `read_id`), or None when `word` is not one: for values Rapport wrote
    itself, such as a button's, where a wrong one is simply nothing to act on."""
    try:
        return read_id(word, bad="", missing="")
    except UserError:
        return None


def leading_id(text: str, *, bad: str, missing: str) -> tuple[int, str]:
    """The item's number that starts `text` (as `read_id`), and the rest of the text."""
    head, *rest = text.split(maxsplit=1) or [""]
    return read_id(head, bad=bad, missing=missing), rest[0].strip() if rest else ""


def looks_like_id(word: str) -> bool:
    """Whether a word is written as an item's number, whatever its size ("5", "#12", "＃３")."""
    return is_digits(ascii_digits(word).removeprefix("#"))


def small_count(word: str) -> int | None:
    """A count from 1 to MAX_COUNT written in digits, in English words or in Chinese numerals
    ("3", "three", "三", "两", "十二"); None for anything else."""
    word = ascii_digits(word.strip().lower())
    if is_digits(word):
        value = int(word) if len(word) <= len(str(MAX_COUNT)) else None
    else:
        value = _EN_COUNTS.get(word) or _chinese(word)
    return value if value and 1 <= value <= MAX_COUNT else None


def answer_number(word: str) -> int | None:
    """A number typed as an answer ("3", "３", "三", "three", "3分"): `small_count` without the articles
    ("a" is not one), None for anything else."""
    word = word.strip().lower().removesuffix("分")
    return None if word in ("a", "an") else small_count(word)


def _chinese(word: str) -> int | None:
    """一 to 九十九 ("十二", "二十", "二十五"), and 两 for two."""
    tens, sep, units = word.partition("十")
    if not sep:
        return _ZH_DIGITS.get(word)
    high = _ZH_DIGITS.get(tens, 0) if tens else 1
    low = _ZH_DIGITS.get(units, 0) if units else 0
    if (tens and not high) or (units and not low):
        return None
    return high * 10 + low
