"""A document's title, issuer, date and reporting year from its page furniture (one case a row of
``tests/metadata/cases.csv``), the reporting-year rule, an HTML page with furniture, and where each
field came from."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl.claims.document import resolve
from etl.claims.extract import extract_text
from etl.reading.formats import html_to_text
from etl.reading.metadata import DocMeta, infer
from etl.tables import rows

HERE = Path(__file__).parent / "metadata"
CHECKED = ("title", "issuer", "date", "report_year")


def _cases() -> list:
    with (HERE / "cases.csv").open(encoding="utf-8", newline="") as f:
        return [pytest.param(r, id=r["id"]) for r in csv.DictReader(f)]


@pytest.mark.parametrize("case", _cases())
def test_header_constructions(case):
    """Every column is checked: an empty one means nothing must be inferred."""
    got = infer(case["text"].replace("\\n", "\n"))
    expected = {k: (case[k] or None) for k in CHECKED}
    expected["report_year"] = int(expected["report_year"]) if expected["report_year"] else None
    assert {k: getattr(got, k) for k in CHECKED} == expected, case["note"]


def _year_of(text: str, mention: str) -> int | None:
    meta = resolve("doc.txt", text)
    claims = extract_text(text, region=meta.region, date=meta.date, report_year=meta.report_year)
    return next(c["year"] for c in claims if c["text"] == mention)


@pytest.mark.parametrize("title,published,year", [
    ("2021年桃源县乡村振兴局工作总结", "2022-01-20", 2021),  # the title says 2021
    ("桃源县乡村振兴局工作情况", "2022-01-20", 2021),  # January: the year before
    ("2021年桃源县乡村振兴局工作总结", "2022-06-15", 2021),  # the title beats the date
    ("桃源县乡村振兴局工作情况", "2022-06-15", 2022),  # otherwise the date's year
])
def test_the_reporting_year_of_unmarked_figures(title, published, year):
    text = f"{title}\n发布日期: {published}\n全年发放小额信贷3000万元。"
    assert _year_of(text, "3000万元") == year


def test_a_summary_reposted_years_later_reports_on_the_last_year_it_names():
    """Its unmarked figures and its bare months (5月起) are of that year, not of the page's date."""
    text = ("乡镇扶贫工作总结\n发布时间:2021-04-01 10:00:00\n2018年全镇脱贫120户。"
            "5月起，我镇开展精准识别大排查，共入户5200户。全年发放小额信贷3000万元。")
    assert (_year_of(text, "5200户"), _year_of(text, "3000万元")) == (2018, 2018)


def test_an_html_page_keeps_its_furniture_for_the_inference():
    page = html_to_text((HERE / "county_page.html").read_text(encoding="utf-8"))
    assert page.title == "五河县乡村振兴局2022年工作总结" and page.date == "2023-01-16"
    assert "发布机构" in page.text and "纳入防返贫监测对象418户1367人" in page.text
    for furniture in ("网站首页", "版权所有", "0000-1234567", "索引号"):
        assert furniture not in page.text
    meta = resolve("page.txt", page.text, found=DocMeta("page.txt", title=page.title, date=page.date))
    assert (meta.issuer, meta.region, meta.date, meta.report_year) == ("五河县乡村振兴局", "五河县", "2023-01-16", 2022)
    assert meta.provenance == {"title": "file", "issuer": "text", "region": "text", "date": "text",
                               "report_year": "text"}


def test_given_values_beat_the_manifest_which_beats_the_text():
    text = "发布机构: 五河县民政局\n发布日期: 2020-05-06\n全县低保对象3000人。"
    listed = {"a.txt": DocMeta("a.txt", issuer="五河县人民政府", provenance={})}
    meta = resolve("a.txt", text, listed, date="2020-06-01")
    assert (meta.issuer, meta.date) == ("五河县人民政府", "2020-06-01")
    assert meta.provenance["issuer"] == "manifest" and meta.provenance["date"] == "given"
    assert "region" not in meta.provenance and meta.region is None  # listed without a region: unplaced


def test_an_office_named_without_its_place_gets_the_documents_region():
    text = ("当前位置: 首页 > 建议提案\n关于发展庭院经济的答复\n发布日期: 2020-11-02 来源: 县农业农村局\n"
            "五河县已建成示范户300户。")
    assert resolve("b.txt", text).issuer == "五河县农业农村局"


@pytest.mark.parametrize("row", rows("outlets"), ids=lambda r: r["short"])
def test_an_outlet_known_by_its_short_name_is_named_in_full(row):
    assert infer(row["example"]).issuer == row["name"]


@pytest.mark.parametrize("row", rows("year_phrases"), ids=lambda r: r["phrase"])
def test_an_undated_text_that_names_the_stage_of_this_year_is_dated_that_year(row):
    assert infer("全县推进巩固拓展脱贫攻坚成果工作，2019年共投入资金3000万元。" + row["example"]).date == row["year"]


def test_a_table_in_an_html_article_keeps_its_rows_as_tab_separated_cells():
    page = html_to_text(
        "<html><body><div class='nav'><a>首页</a><a>政务公开</a></div><article><h1>各乡镇脱贫户情况</h1>"
        "<p>截至2020年底，全县各乡镇脱贫户情况如下，全县合计脱贫户4200户，脱贫人口15800人，均已稳定达标。</p>"
        "<table><tr><th>乡镇</th><th>脱贫户</th></tr><tr><td>白沙镇</td><td>1200户</td></tr>"
        "<tr><td>青山乡</td><td>3000户</td></tr></table></article><footer>版权所有</footer></body></html>")
    assert page.text.splitlines()[-3:] == ["乡镇\t脱贫户", "白沙镇\t1200户", "青山乡\t3000户"]
    assert "版权所有" not in page.text and "政务公开" not in page.text


@pytest.mark.parametrize("text,date", [
    ("新华社拉萨3月6日电 2016年至2018年，全区减贫18万人。", "2019-03-06"),  # a spring dateline: the year after
    ("新华社拉萨3月6日电 2018年，全区减贫18万人。2019年，全区将实施产业项目200个。", "2019-03-06"),  # (2019年…将: aim)
    ("某某报讯(记者 张三 李四)4月29日，省政府公布退出贫困县序列的公告。全县贫困人口减至2019年底的900人。",
     "2020-04-29"),  # a byline, then the date
    ("华声线上3月11日讯 2016年，全州减少贫困人口5万人，发生率降至16%。", "2017-03-11"),  # an online outlet
])
def test_a_yearless_dateline_dates_the_text_after_the_last_year_it_reports(text, date):
    assert infer(text).date == date


def test_a_day_month_year_date_under_the_title_is_the_page_date():
    assert infer("某县扶贫开发工作取得新成效\n\n30.03.2016  16:11\n近年来，全县减贫3万人。").date == "2016-03-30"


def test_a_traditional_text_is_placed_and_dated_as_its_simplified_twin():
    text = "脫貧攻堅成效明顯\n發佈日期：2017-02-20\n2016年，順昌縣共幫助1200戶貧困戶脫貧，全縣貧困發生率降至1.2%。"
    assert (resolve("t.txt", text).region, resolve("t.txt", text).date) == ("顺昌县", "2017-02-20")


def test_a_rank_in_the_province_does_not_make_a_county_text_provincial():
    text = ("扶贫信用卡发放\n顺昌县在全省率先推出扶贫信用卡，建成全省第一个扶贫资金监管平台，"
            "列入全省首批试点，全县发放贷款1200万元。")
    assert resolve("r.txt", text).region == "顺昌县"
    text = "旅游发展\n顺昌县接待游客50万人次，旅游业是全县第三产业的龙头，与全省同步小康。"  # an ordinal, no rank
    assert resolve("s.txt", text).region == "顺昌县"


def test_a_province_named_before_its_prefecture_is_not_the_subject():
    text = ("西藏阿里推进产业扶贫\n西藏阿里地区今年新建合作社12家，西藏阿里地区累计减贫1.6万人，"
            "西藏自治区下达资金3亿元。")
    assert resolve("a.txt", text).region == "阿里地区"
    assert resolve("b.txt", "全县有贫困户300户。").region is None  # (and a text naming no place has none)
