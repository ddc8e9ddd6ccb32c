"""The dashboard's functions on the database `etl build` makes from the bundled seed documents (the
fixture database stands in elsewhere; this catches drift between the ETL's output and the dashboard)."""
from __future__ import annotations

import pytest

from dashboard import charts, export, queries
from dashboard.params import default_compare, parse_compare
from dashboard.views import VIEWS


@pytest.mark.parametrize("view,expected", [
    ("zhengzhou", {("poor_households", 2013): 26180, ("poor_population", 2013): 96467,
                   ("lifted_households", 2018): 25411, ("lifted_households", 2022): 12585,
                   ("lifted_population", 2022): 46819, ("monitored_households", 2022): 3345}),
    ("jiangsu", {("poor_population", 2016): 2770000, ("lifted_population_annual", 2019): 551500,
                 ("remaining_poor_households", 2020): 6, ("remaining_poor_population", 2020): 17}),
])
def test_the_ready_made_views_show_the_headline_figures(seeds_db, view, expected):
    chart = charts.view_chart(seeds_db, VIEWS[view])
    got = {(r.indicator, r.year): r.value for r in chart.facts.itertuples()}
    assert {k: got.get(k) for k in expected} == expected
    assert chart.figure.layout.meta["kind"] == "view"


def test_compare_and_exports_on_the_built_database(seeds_db):
    query = {"indicator": "lifted_population", "regions": "郑州市,江苏省", "from": "2013", "to": "2022"}
    p = parse_compare(query, seeds_db)
    chart = charts.compare_chart(seeds_db, p)
    assert chart.figure.layout.meta["kind"] == "line" and len(chart.facts) >= 3
    data = export.csv_bytes(chart.facts, chart.alternatives)
    assert data.startswith(export.BOM) and "原文句子" in data.decode("utf-8-sig").splitlines()[0]
    assert default_compare(seeds_db).indicator == "poor_population"


def test_every_fact_leads_to_its_sentence(seeds_db):
    everything = list(queries.indicators(seeds_db).key), list(queries.regions(seeds_db).code)
    facts = queries.facts(seeds_db, *everything, 1949, 2100)
    assert len(facts) == queries.summary(seeds_db)["facts"]
    for r in facts.itertuples():
        claims = queries.point_claims(seeds_db, r.region_code, r.year, r.indicator)
        assert claims.iloc[0].claim_id == r.claim_id and claims.iloc[0].mention in claims.iloc[0].sentence
