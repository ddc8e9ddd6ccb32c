"""dashboard.queries on the fixture database: plain functions, db path in, DataFrame out."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboard import queries

ZZ, JS = "4101", "32"  # 郑州市, 江苏省: regions are passed by code


@pytest.mark.parametrize("region,year,indicator,value,qualifier,conflict", [
    (ZZ, 2013, "poor_population", 96467, "exact", True),
    (ZZ, 2013, "poor_households", 26180, "exact", False),
    (ZZ, 2018, "lifted_households", 25411, "exact", False),
    (ZZ, 2022, "lifted_households", 12585, "exact", False),
    (ZZ, 2022, "lifted_population", 46819, "exact", False),
    (ZZ, 2022, "monitored_households", 3345, "exact", False),
    (JS, 2016, "poor_population", 2770000, "exact", False),
    (JS, 2019, "lifted_population_annual", 551500, "approx", False),
    (JS, 2019, "poverty_exit_rate", 99.99, "at_least", False),
])
def test_facts_carry_value_qualifier_and_conflict(dash_db, region, year, indicator, value, qualifier,
                                                  conflict):
    df = queries.facts(dash_db, [indicator], [region], year, year)
    assert len(df) == 1
    row = df.iloc[0]
    assert (row.value, row.qualifier, bool(row.conflict)) == (value, qualifier, conflict)


def test_facts_bring_the_sentence_and_document(dash_db):
    row = queries.facts(dash_db, ["poor_population"], [ZZ], 2013, 2013).iloc[0]
    assert "26180 户 96467 人" in row.sentence
    assert row.mention == "96467 人"
    assert (row.doc_title, row.issuer, row.doc_date) == ("荒山远村花灿灿 脱贫春风拂笑颜", "郑州日报", "2019")


def test_facts_filter_by_years_and_sort_by_region_order(dash_db):
    df = queries.facts(dash_db, ["poor_population"], [JS, ZZ], 2013, 2022)
    assert list(zip(df.region_code, df.year, strict=True)) == [(ZZ, 2013), (JS, 2016), (JS, 2019)]
    assert list(df.region) == ["郑州市", "江苏省", "江苏省"]  # the names they are shown by
    assert queries.facts(dash_db, ["poor_population"], [JS], 2017, 2018).empty


def test_alternatives_keep_the_other_documents_value(dash_db):
    alts = queries.alternatives(dash_db, ["poor_population"], [ZZ, JS], 2013, 2022)
    assert list(alts.value) == [98000]
    assert alts.iloc[0].qualifier == "approx"
    assert alts.iloc[0].doc_title == "郑州市扶贫工作总结（测试用）"


def test_rejected_claims_are_not_alternatives(dash_db):
    assert queries.alternatives(dash_db, ["monitored_households"], [ZZ], 2013, 2022).empty
    claims = queries.point_claims(dash_db, ZZ, 2022, "monitored_households")
    assert list(claims.value) == [3345]


def test_point_claims_put_the_chosen_claim_first(dash_db):
    claims = queries.point_claims(dash_db, ZZ, 2013, "poor_population")
    assert list(claims.value) == [96467, 98000]
    assert list(claims.chosen) == [True, False]
    first = claims.iloc[0]
    assert first.sentence[first.char_start - first.sentence_start:][:len(first.mention)] == first.mention


def test_latest_picks_the_latest_year_per_indicator_in_the_order_asked(dash_db):
    df = queries.latest(dash_db, ZZ, ["lifted_households", "poor_population", "no_such_indicator"])
    assert list(zip(df.indicator, df.year, df.value, strict=True)) == [
        ("lifted_households", 2022, 12585), ("poor_population", 2013, 96467)]


def test_indicators_are_grouped_by_theme_with_fact_counts(dash_db):
    df = queries.indicators(dash_db)
    themes = list(dict.fromkeys(df.theme))
    assert themes[0] == "poverty_status"
    assert len(themes) == len(set(df.theme))  # each theme in one block
    assert df.set_index("key").n_facts["poor_population"] == 3


def test_regions_follow_sort_order(dash_db):
    df = queries.regions(dash_db)
    assert list(df.name[:3]) == ["河南省", "郑州市", "江苏省"]
    assert list(df.code[:3]) == ["41", ZZ, JS]
    assert df.set_index("code").n_facts[ZZ] == 14


def test_regions_with_data_are_those_with_facts_and_their_ancestors(dash_db):
    df = queries.regions(dash_db).set_index("name")
    assert df.has_data["郑州市"] and df.has_data["河南省"]  # 河南省 has no facts: it contains 郑州市
    assert not df.has_data["常德市"]


@pytest.mark.parametrize("filters,expected", [
    ({}, 25),
    ({"region": ZZ}, 17),
    ({"year": 2013}, 4),
    ({"indicator": "poor_population"}, 4),
    ({"unit": "yuan"}, 2),
    ({"qualifier": "approx"}, 2),
    ({"region": JS, "year": 2019, "unit": "person"}, 4),
])
def test_claims_filters(dash_db, filters, expected):
    assert len(queries.claims(dash_db, **filters)) == expected


def test_claims_filter_by_document_and_keep_unplaced_claims(dash_db):
    doc = queries.facts(dash_db, ["poor_villages"], [ZZ], 2013, 2013).doc_id.iloc[0]
    claims = queries.claims(dash_db, doc_id=doc)
    assert len(claims) == 9 and claims.indicator.isna().sum() == 1


def test_document_and_its_claims_spans(dash_db):
    doc_id = queries.facts(dash_db, ["weak_villages"], [JS], 2019, 2019).doc_id.iloc[0]
    doc = queries.document(dash_db, doc_id)
    claims = queries.document_claims(dash_db, doc_id)
    assert doc["title"] == "关于脱贫攻坚工作进展情况的报告"
    assert all(doc["text"][r.char_start:r.char_end] == r.mention for r in claims.itertuples())
    assert list(claims.char_start) == sorted(claims.char_start)
    assert queries.document(dash_db, "nope") is None


def test_summary_counts(dash_db):
    assert queries.summary(dash_db) == {"documents": 4, "claims": 25, "facts": 22, "regions": 2}


def test_year_bounds(dash_db):
    assert queries.year_bounds(dash_db) == (2013, 2022)
    assert queries.year_bounds(dash_db, "poor_population", [JS]) == (2016, 2019)
    assert queries.year_bounds(dash_db, "funding_county") is None


def test_a_missing_database_names_its_path_and_the_build_command(tmp_path):
    with pytest.raises(queries.DatabaseMissing) as e:
        queries.facts(tmp_path / "none.duckdb", ["poor_population"], [ZZ], 2013, 2022)
    assert "none.duckdb" in str(e.value) and "make build" in str(e.value)


def test_the_database_is_opened_read_only(dash_db):
    with pytest.raises(duckdb.Error):
        queries.cursor(dash_db).execute("CREATE TABLE scratch (i INTEGER)")


def test_a_rebuilt_file_is_reopened(dash_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(dash_db, db)
    assert queries.facts(db, ["weak_villages"], [JS], 2019, 2019).value.iloc[0] == 821
    queries.close_all()  # the ETL writes a new file and renames it over the old one
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(dash_db, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("UPDATE facts SET value = 822 WHERE indicator = 'weak_villages'")
    rebuilt.replace(db)
    assert queries.facts(db, ["weak_villages"], [JS], 2019, 2019).value.iloc[0] == 822


def test_threads_query_concurrently_with_their_own_cursors(dash_db):
    from concurrent.futures import ThreadPoolExecutor

    def work(_: int) -> float:
        return queries.facts(dash_db, ["poor_population"], [JS], 2016, 2016).value.iloc[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(work, range(64))) == {2770000}


# --- the region picker ------------------------------------------------------------------------------------


def test_region_labels_show_the_parent():
    from dashboard.components import region_label

    assert region_label("中牟县", "郑州市") == "中牟县 · 郑州市"
    assert region_label("南京市鼓楼区", "南京市") == "鼓楼区 · 南京市"  # the parent is not said twice
    assert region_label("腾冲市荷花镇", "腾冲市") == "荷花镇 · 腾冲市"
    assert region_label("河南省", "中国") == "河南省" and region_label("紫金山科技园", None) == "紫金山科技园"


def test_the_picker_lists_the_regions_with_facts_and_their_ancestors(seeds_db):
    from dashboard.components import region_options

    regions = queries.regions(seeds_db)
    assert len(regions) > 3000  # every county is in the regions table
    options = {o["value"]: o for o in region_options(regions)}
    assert set(options) == {"CN", "41", "4101", "32"}  # the seeds' facts are 郑州市's and 江苏省's
    assert options["4101"]["label"] == "郑州市 · 河南省"
    assert {"郑州", "4101", "河南省"} <= set(options["4101"]["search"].split())  # by alias, code and parent


def test_regions_are_found_by_code_as_one_types(seeds_db):
    found = queries.region_matches(seeds_db, "410122")
    assert list(found.name) == ["中牟县"] and found.parent.iloc[0] == "郑州市"
