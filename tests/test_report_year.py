"""The year of 今年, 去年 and unmarked figures when the reporting year is known from a title (a 2021年工作总结
published in January 2022) and when it is not (a January news item)."""
from __future__ import annotations

import pytest

from etl.claims.extract import extract_text


def _year(text: str, mention: str, date: str, report_year: int | None = None) -> int | None:
    claims = [c for c in extract_text(text, region="某县", date=date, report_year=report_year)
              if c["text"] == mention]
    assert claims, f"no claim {mention!r} in {text!r}"
    return claims[0]["year"]


@pytest.mark.parametrize(("text", "mention", "year"), [
    ("今年，全镇新增公益性岗位120个。", "120个", 2021),  # the summary's 今年 is the year it reports
    ("全年发放雨露计划补助46万元。", "46万元", 2021),
    ("全镇共有监测户57户。", "57户", 2021),  # unmarked
    ("截至目前，全镇消除风险户33户。", "33户", 2021),
    ("去年，全镇脱贫户人均纯收入11860元。", "11860元", 2020),  # the year before the one it reports
    ("截至11月底，全镇发放小额信贷380万元。", "380万元", 2021),  # a month later than January: last year's
])
def test_a_titled_summary_published_the_next_january_reports_its_year(text, mention, year):
    assert _year(text, mention, "2022-01-12", report_year=2021) == year


@pytest.mark.parametrize(("text", "mention", "year"), [
    ("去年，全县减少贫困人口3200人。", "3200人", 2018),
    ("今年以来，全县新增帮扶车间8个。", "8个", 2019),
    ("全县贫困发生率降至1.6%。", "1.6%", 2018),  # unmarked: the year just ended
])
def test_a_january_news_item_without_a_title_year(text, mention, year):
    assert _year(text, mention, "2019-01-15") == year


def test_a_titled_year_without_a_date_is_the_year_of_everything_unmarked():
    assert _year("今年，全村种植中药材260亩。", "260亩", None, report_year=2020) == 2020


@pytest.mark.parametrize(("text", "date", "year"), [
    ("2021年，全省脱贫群众人均收入达到11800元。\n全省实施产业帮扶项目420个。", "2022-05-11", 2021),
    ("2021年，全省脱贫群众人均收入达到11800元。\n今年以来，全省实施产业帮扶项目420个。", "2022-05-11", None),
    ("2021年，全省脱贫群众人均收入达到11800元。\n目前，全省有产业帮扶项目420个。", "2022-05-11", None),
    ("2021年，全省脱贫群众人均收入达到11800元。\n全省实施产业帮扶项目420个。", "2022-09-02", None),
    ("2021年，全省脱贫群众人均收入达到11800元。\n截至4月底，全省实施产业帮扶项目420个。", "2022-05-11", None),
    ("2021年，全省脱贫群众人均收入达到11800元。\n12月份全省实施产业帮扶项目420个。", "2022-05-11", 2021),
    ("5月9日，省政府公布退出贫困县序列的县名单。全县贫困人口减至2021年底的900人。\n全县实施产业帮扶项目420个。",
     "2022-05-11", None),
    ("2016年至2020年，全省脱贫群众人均收入由6200元增加到11800元。\n全省实施产业帮扶项目420个。", "2021-05-27", 2020),
    ("2021—2025年，全省规划实施产业项目900个。\n全省实施产业帮扶项目420个。", "2021-05-27", None),
])
def test_a_spring_account_of_the_year_before_reports_that_year(text, date, year):
    """Dated up to June, naming the year before as its latest and nothing of the current one (今年, 目前):
    the text reports on that year (an undated figure is that year's)."""
    from etl.claims.document import resolve

    meta = resolve("doc.txt", text, {}, date=date)
    assert meta.report_year == year
    claims = extract_text(text, region="吉林省", date=meta.date, report_year=meta.report_year)
    assert next(c for c in claims if c["text"] == "420个")["year"] == (year or int(date[:4]))
