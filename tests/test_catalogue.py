"""Every message exists in English and Simplified Chinese, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LOCALES, Catalogue, normalise_locale, placeholders


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def _messages(table: dict[str, str]) -> dict[str, str]:
    """Each message once: a plural message by its `other` form (English's `one` is checked apart)."""
    return {key.removesuffix(".other"): text for key, text in table.items() if not key.endswith(".one")}


def test_every_locale_has_every_key(catalogue):
    keys = {locale: set(_messages(table)) for locale, table in catalogue.tables.items()}
    assert set(keys) == set(LOCALES)
    assert keys["en"] == keys["zh-Hans"], keys["en"] ^ keys["zh-Hans"]


def test_placeholders_match_across_locales(catalogue):
    chinese = _messages(catalogue.tables["zh-Hans"])
    for key, english in _messages(catalogue.tables["en"]).items():
        assert placeholders(english) == placeholders(chinese[key]), key


def test_plural_messages_have_every_form_their_language_needs(catalogue):
    """English says "1 action" and "2 actions" (`one` and `other`); Chinese does not inflect, so its
    plural messages have `other` only. Each `one` form says no more than its `other` form."""
    english = catalogue.tables["en"]
    for key in english:
        if key.endswith(".one"):
            other = english.get(key.removesuffix(".one") + ".other")
            assert other is not None, key
            assert placeholders(english[key]) <= placeholders(other), key
        if key.endswith(".other"):
            assert key.removesuffix(".other") + ".one" in english, key
            assert "count" in placeholders(english[key]), key
    assert not [key for key in catalogue.tables["zh-Hans"] if key.endswith(".one")]


def test_a_count_chooses_the_plural_form():
    catalogue = Catalogue(
        {
            "en": {"n.one": "{count} action", "n.other": "{count} actions"},
            "zh-Hans": {"n.other": "{count} 项行动"},
        }
    )
    en, zh = catalogue.messages("en"), catalogue.messages("zh-Hans")
    assert [en("n", count=c) for c in (0, 1, 2)] == ["0 actions", "1 action", "2 actions"]
    assert [zh("n", count=c) for c in (1, 2)] == ["1 项行动", "2 项行动"]


def test_chinese_messages_are_translated(catalogue):
    """Identical text in both languages is allowed only where there are no words to translate."""
    chinese = _messages(catalogue.tables["zh-Hans"])
    untranslated = [
        key
        for key, english in _messages(catalogue.tables["en"]).items()
        if chinese[key] == english
        and re.search("[A-Za-z]", re.sub(r"{\w+}", "", english))
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh-CN", "zh-Hans"),
        ("zh_Hans", "zh-Hans"),
        ("en-US", "en"),
        ("EN", "en"),
        ("fr-FR", None),
        (None, None),
    ],
)
def test_platform_locales_map_onto_the_catalogue(given, expected):
    assert normalise_locale(given) == expected


def test_unknown_locale_falls_back_to_english(catalogue):
    assert catalogue.messages("fr").locale == "en"


def test_names_are_joined_the_way_each_language_lists_them(catalogue):
    en, zh = catalogue.messages("en"), catalogue.messages("zh-Hans")
    assert en.join(["Ann"]) == "Ann"
    assert en.join(["Ann", "Bob"]) == "Ann and Bob"
    assert en.join(["Ann", "Bob", "Wei"]) == "Ann, Bob and Wei"
    assert zh.join(["安", "鲍勃", "伟"]) == "安、鲍勃和伟"


# After "1": a plural noun, possibly behind one word ("1 more answers"). Words that end in "s" and
# are right after one thing: "1 kudos" (a kudos), "1 answer is in".
_SINGULAR_ENDING_IN_S = {"kudos", "is", "was", "has", "this", "its"}
_ONE_THEN_PLURAL = re.compile(r"(?<![\d.])1 (?:[a-z]+ )?([a-z-]+s)\b")


def _rendered(catalogue: Catalogue, locale: str, count: int) -> dict[str, str]:
    """Every message that takes a count, rendered with `count` and a stand-in for each other value."""
    t = catalogue.messages(locale)
    rendered = {}
    for key, template in _messages(catalogue.tables["en"]).items():
        names = placeholders(template)
        if "count" in names:
            rendered[key] = t(key, **{name: "«x»" for name in names} | {"count": count})
    return rendered


def test_messages_with_a_count_read_right_for_one_and_for_more(catalogue):
    """No "(s)", no "1 times", "1 days", "1 check-ins": every message that counts has its plural
    forms, and Chinese counts actions with 项."""
    english = {count: _rendered(catalogue, "en", count) for count in (1, 2)}
    chinese = {count: _rendered(catalogue, "zh-Hans", count) for count in (1, 2)}
    assert english[1], "the catalogue has messages with a count"
    for key, text in english[1].items():
        plural = [w for w in _ONE_THEN_PLURAL.findall(text) if w not in _SINGULAR_ENDING_IN_S]
        assert not plural, f"{key}: {text}"
    for rendered in (*english.values(), *chinese.values()):
        for key, text in rendered.items():
            assert "(s)" not in text and "个行动" not in text, f"{key}: {text}"
    assert "1 piece of feedback shared with you" in english[1]["review_digest.topic.feedback"]
    assert "2 pieces of feedback" in english[2]["review_digest.topic.feedback"]
    assert "Blocked once" in english[1]["review_digest.topic.blocked_again"]
    assert "2 项行动已逾期" in chinese[2]["review_digest.topic.overdue"]
    assert "感谢了你 1 次" in chinese[1]["review_digest.question.self.kudos"]
