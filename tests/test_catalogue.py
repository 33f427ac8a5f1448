"""Every message exists in English and Simplified Chinese, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LOCALES, Catalogue, normalise_locale, placeholders


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def test_every_locale_has_every_key(catalogue):
    keys = {locale: set(table) for locale, table in catalogue.tables.items()}
    assert set(keys) == set(LOCALES)
    assert keys["en"] == keys["zh-Hans"], keys["en"] ^ keys["zh-Hans"]


def test_placeholders_match_across_locales(catalogue):
    for key, english in catalogue.tables["en"].items():
        assert placeholders(english) == placeholders(catalogue.tables["zh-Hans"][key]), key


def test_chinese_messages_are_translated(catalogue):
    """Identical text in both languages is allowed only where there are no words to translate."""
    untranslated = [
        key
        for key, english in catalogue.tables["en"].items()
        if catalogue.tables["zh-Hans"][key] == english
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
