"""The gazetteer keyed by the official code: display names unique in China, chains of names, former names,
villages, and shared names that are resolved from context or left alone."""
from __future__ import annotations

import csv
from collections import Counter

import pytest

from etl.claims.extract import extract_text
from etl.claims.regions import GAZETTEER, Places
from etl.tables import DATA


def test_every_division_has_a_known_parent_and_level():
    for p in GAZETTEER.places.values():
        assert p.level in ("country", "province", "prefecture", "county", "township"), p
        assert p.level == "country" or p.parent in GAZETTEER.places, p


def test_display_names_of_provinces_prefectures_and_counties_are_unique():
    shown = Counter(GAZETTEER.display(c) for c, p in GAZETTEER.places.items()
                    if p.level in ("province", "prefecture", "county"))
    assert [n for n, k in shown.items() if k > 1] == []


@pytest.mark.parametrize("name, code, shown", [
    ("鼓楼区", None, None),  # four cities have one: the name alone is not enough
    ("南京市鼓楼区", "320106", "南京市鼓楼区"),
    ("福州鼓楼区", "350102", "福州市鼓楼区"),
    ("武定县", "532329", "武定县"),
    ("腾冲市荷花镇", "530581111", "腾冲市荷花镇"),
    ("安龙县洒雨镇下龙村", "522328105202", "安龙县洒雨镇下龙村"),
    ("楚雄州", "5323", "楚雄彝族自治州"),
    ("320106", "320106", "南京市鼓楼区"),
])
def test_parse_and_display(name, code, shown):
    assert GAZETTEER.parse(name) == code
    assert GAZETTEER.display(code) == shown


def test_a_shared_name_resolves_near_a_place():
    assert GAZETTEER.parse("鼓楼区", near="3501") == "350102"
    assert [GAZETTEER.display(c) for c in GAZETTEER.lookup("朝阳区", near="吉林省")][0] == "长春市朝阳区"


def test_a_county_short_form_counts_only_where_the_text_is_about_its_part_of_china():
    assert [f.code for f in Places("合作社带动农户增收").found] == []
    assert [GAZETTEER.display(f.code) for f in Places("甘南州合作市").found] == ["甘南藏族自治州", "合作市"]


@pytest.mark.parametrize("row", list(csv.DictReader((DATA / "region_history.csv").open(encoding="utf-8"))),
                         ids=lambda r: r["former_name"])
def test_former_names_are_the_place_they_became(row):
    example = row["example"].split(" (")[0] + "共减贫3100人。"
    claims = extract_text(example)
    assert claims and claims[0]["region_code"] == row["code"], (example, claims[:1])


def test_words_running_on_to_a_village_suffix_after_a_township_name_no_village():
    text = "丙麻乡计划建成村委会内文化展板6块，丙麻乡秀岭村有脱贫户84户。"
    named = [text[f.start:f.end] for f in GAZETTEER.find(text)]
    assert "计划建成村" not in named and "秀岭村" in named
