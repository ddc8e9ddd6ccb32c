"""Number formatting Chinese readers expect (万, 亿, units, qualifiers) and the English toggle."""
from __future__ import annotations

import pytest

from dashboard.i18n import STRINGS, axis_scale, fmt_exact, fmt_value, lang_of, t


@pytest.mark.parametrize("value,unit,qualifier,expected", [
    (96467, "person", None, "96467人"),
    (26180, "household", None, "26180户"),
    (2770000, "person", None, "277万人"),
    (2542114, "person", None, "254.21万人"),
    (551500, "person", "approx", "约55.15万人"),
    (99.99, "percent", "at_least", "99.99%以上"),
    (3, "percent", "at_most", "3%以下"),
    (14946.16, "yuan", None, "1.49万元"),
    (5160, "yuan", None, "5160元"),
    (775327800, "yuan", None, "7.75亿元"),
    (3150000000, "yuan", None, "31.5亿元"),
    (181, "count", None, "181个"),
    (1.5, "percentage_point", None, "1.5个百分点"),
    (322000, "person_time", None, "32.2万人次"),
])
def test_fmt_value_zh(value, unit, qualifier, expected):
    assert fmt_value(value, unit, "zh", qualifier) == expected


@pytest.mark.parametrize("value,unit,qualifier,expected", [
    (96467, "person", None, "96,467 persons"),
    (2770000, "person", None, "2.77 million persons"),
    (551500, "person", "approx", "about 551,500 persons"),
    (99.99, "percent", "at_least", "at least 99.99%"),
    (775327800, "yuan", None, "775.33 million yuan"),
])
def test_fmt_value_en(value, unit, qualifier, expected):
    assert fmt_value(value, unit, "en", qualifier) == expected


def test_ranges_and_exact_values():
    assert fmt_value(30000, "person", value_high=50000) == "30000–50000人"
    assert fmt_exact(2770000, "person") == "2,770,000人"
    assert fmt_exact(14946.16, "yuan", "en") == "14,946.16 yuan"


@pytest.mark.parametrize("unit,max_abs,lang,expected", [
    ("person", 96467, "zh", (1, "人")),
    ("person", 2770000, "zh", (1e4, "万人")),
    ("yuan", 775327800, "zh", (1e4, "万元")),
    ("yuan", 3.15e9, "zh", (1e8, "亿元")),
    ("percent", 99.99, "zh", (1, "%")),
    ("person", 2770000, "en", (1e6, "million persons")),
])
def test_axis_scale(unit, max_abs, lang, expected):
    assert axis_scale(unit, max_abs, lang) == expected


def test_every_ui_string_exists_in_both_languages():
    assert set(STRINGS["zh"]) == set(STRINGS["en"])


def test_lang_of_defaults_to_chinese():
    assert [lang_of(x) for x in (None, "", "en", "fr", "zh")] == ["zh", "zh", "en", "zh", "zh"]
    assert t("selected_count", "zh") == "已选 {num_selected} 项"
    assert t("change_since", "en", year=2016) == "Change since 2016"
