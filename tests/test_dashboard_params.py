"""The URL contract: /compare?indicator=KEY&regions=A,B&from=Y&to=Y (and the same on the exports); regions by
code or name, held and written back as codes."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.params import (
    AmbiguousRegion,
    CompareParams,
    ParamError,
    ViewParams,
    lenient_compare,
    parse_compare,
    parse_export,
)


def test_a_full_query_is_parsed(dash_db):
    query = {"indicator": "poor_population", "regions": "郑州市,江苏省", "from": "2013", "to": "2022"}
    p = parse_compare(query, dash_db)
    assert p == CompareParams("poor_population", ("4101", "32"), 2013, 2022, "abs", "zh")


def test_codes_names_and_former_names_give_the_same_regions(dash_db):
    by_code = parse_compare({"indicator": "poor_population", "regions": "4101,32"}, dash_db)
    assert by_code.regions == ("4101", "32")
    assert parse_compare({"indicator": "poor_population", "regions": "郑州市,江苏省"}, dash_db) == by_code
    # a county the database has no row for is still known by the gazetteer (by name or code), with no facts
    assert parse_compare({"indicator": "poor_population", "regions": "中牟县"}, dash_db).regions == ("410122",)
    assert parse_compare({"indicator": "poor_population", "regions": "410122"}, dash_db).regions == ("410122",)


def test_aliases_repeated_parameters_and_missing_years(dash_db):
    p = parse_compare({"indicator": ["poor_population"], "regions": ["郑州", "苏"], "lang": "en"}, dash_db)
    assert p.regions == ("4101", "32") and p.lang == "en"
    assert (p.year_from, p.year_to) == (2013, 2019)  # the data's range


def test_search_round_trips(dash_db):
    p = CompareParams("lifted_households", ("4101",), 2015, 2022, "change", "en")
    query = parse_qs(urlsplit(p.search()).query)
    assert parse_compare(query, dash_db) == p
    assert "regions=4101&" in p.search()  # the URL carries codes


def test_a_shared_name_is_not_guessed(dash_db):
    with pytest.raises(AmbiguousRegion) as e:
        parse_compare({"indicator": "poor_population", "regions": "鼓楼区"}, dash_db)
    assert [c[0] for c in e.value.candidates] == ["320106", "320302", "350102", "410204"]
    assert "南京市鼓楼区 (320106)" in e.value.zh and "福州市鼓楼区 (350102)" in e.value.en
    p, errors = lenient_compare({"indicator": "poor_population", "regions": "鼓楼区"}, dash_db)
    assert p.regions == () and isinstance(errors[0], AmbiguousRegion)  # nothing charted for it
    p, errors = lenient_compare({"indicator": "poor_population", "regions": "鼓楼区,江苏省"}, dash_db)
    assert p.regions == ("32",) and len(errors) == 1


@pytest.mark.parametrize("query,zh,en", [
    ({"indicator": "nope", "regions": "郑州市"}, "未知指标“nope”", "unknown indicator 'nope'"),
    ({"regions": "郑州市"}, "缺少参数 indicator", "missing parameter: indicator"),
    ({"indicator": "poor_population", "regions": "火星"}, "未知地区“火星”", "unknown region(s): 火星"),
    ({"indicator": "poor_population"}, "缺少参数 regions", "missing parameter: regions"),
    ({"indicator": "poor_population", "regions": "郑州市", "from": "2022", "to": "2013"},
     "起始年份 2022 晚于结束年份 2013", "from year 2022 is after to year 2013"),
    ({"indicator": "poor_population", "regions": "郑州市", "from": "去年"}, "from 应为年份",
     "must be a year"),
    ({"indicator": "poor_population", "regions": "郑州市", "to": "30000"}, "超出范围", "outside"),
    ({"indicator": "poor_population", "regions": "郑州市", "mode": "log"}, "mode 应为", "mode must be"),
])
def test_bad_parameters_say_what_is_wrong_in_both_languages(dash_db, query, zh, en):
    with pytest.raises(ParamError) as e:
        parse_compare(query, dash_db)
    assert zh in e.value.zh and en in e.value.en
    assert e.value.text().startswith("参数错误：") and "Bad parameter: " in e.value.text()


def test_lenient_keeps_the_good_parts_and_reports_the_bad(dash_db):
    p, errors = lenient_compare({"indicator": "nope", "regions": "江苏省,火星", "from": "2019", "to": "2016"},
                                dash_db)
    assert p == CompareParams("poor_population", ("32",), 2016, 2019)
    assert [e.zh[:4] for e in errors] == ["未知指标", "未知地区", "起始年份"]


def test_lenient_without_parameters_gives_a_useful_default(dash_db):
    p, errors = lenient_compare({}, dash_db)
    assert errors == []
    assert p == CompareParams("poor_population", ("4101", "32"), 2013, 2019)


def test_exports_accept_a_view(dash_db):
    p = parse_export({"view": "jiangsu", "lang": "en"}, dash_db)
    assert isinstance(p, ViewParams) and p.view.region == "江苏省" and p.lang == "en"
    with pytest.raises(ParamError, match="unknown view"):
        parse_export({"view": "mars"}, dash_db)


def test_each_ready_made_view_names_its_region_by_its_code():
    from dashboard.views import VIEWS
    from etl.claims.regions import GAZETTEER

    assert all(GAZETTEER.parse(v.region) == v.code for v in VIEWS.values())
