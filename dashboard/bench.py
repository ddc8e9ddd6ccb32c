"""Benchmarks: ``python -m dashboard.bench [--db PATH] [--facts N]`` prints the median and 95th percentile
latency of the compare page callback's work (queries + figure + table rows + the figure's JSON) and of
the warm PNG export, on the given database and on a synthetic one of N (default 1,000,000) facts that it
generates into a temporary file with DuckDB SQL; and the map tab's callback over the counties of a province
(each of its prefectures' maps) on a synthetic database of N facts keyed by the real codes of every province,
prefecture and county, with the geometry each view sends. Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import plotly.io as pio

from dashboard import charts, export, geo, maps, queries
from dashboard.components import fact_rows
from dashboard.params import CompareParams, default_compare
from etl.claims.regions import GAZETTEER

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "etl" / "data" / "schema.sql"
INDICATORS = ROOT / "etl" / "data" / "indicators.csv"
YEARS = range(1975, 2025)  # 50 years


def percentiles(times: list[float]) -> tuple[float, float]:
    """(median, 95th percentile) in milliseconds."""
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return percentiles(times)


def callback_work(db: str | Path, p: CompareParams) -> str:
    """What the compare callback does besides wiring: chart (queries + figure), grid rows, figure JSON."""
    chart = charts.compare_chart(db, p)
    fact_rows(chart.facts, p.lang)
    return pio.to_json(chart.figure, validate=False)


def _select_list(con: duckdb.DuckDBPyConnection, table: str, given: dict[str, str]) -> str:
    """SQL select list for every column of ``table``: given expressions, else NULL or a neutral value."""
    cols = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    neutral = {"BOOLEAN": "false", "INTEGER": "0", "BIGINT": "0", "DOUBLE": "0"}
    return ", ".join(
        given.get(c, "NULL" if null == "YES" else neutral.get(t, "''")) + f" AS {c}" for c, t, null in cols
    )


def synthetic_db(path: Path, n_facts: int = 1_000_000, real_regions: bool = False) -> dict[str, int]:
    """Write a database of ``n_facts`` facts (region x year x indicator), one claim each, 1 % of them
    contradicted by a second document (conflicts); returns the row counts. Regions are made-up names
    (``name:地区0001``), or with ``real_regions`` every province, prefecture and county of the gazetteer."""
    with INDICATORS.open(encoding="utf-8", newline="") as f:
        inds = list(csv.DictReader(f))
    n_regions = -(-n_facts // (len(YEARS) * len(inds)))
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        con.executemany(
            "INSERT INTO indicators (key, theme, theme_zh, name_zh, name_en, unit, definition, "
            "sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    r["key"],
                    r["theme"],
                    r["theme_zh"],
                    r["name_zh"],
                    r["name_en"],
                    r["unit"],
                    r["definition"],
                    n,
                ]
                for n, r in enumerate(inds)
            ],
        )
        if real_regions:
            places = [p for p in GAZETTEER.places.values() if p.level in ("province", "prefecture", "county")]
            given = {"code": "?", "name": "?", "level": "?", "parent_code": "?", "aliases": "''", "sort_order": "?"}
            con.executemany(  # parameters in the table's column order: code, name, level, parent_code, sort_order
                f"INSERT INTO regions SELECT {_select_list(con, 'regions', given)}",
                [[p.code, GAZETTEER.display(p.code) or p.name, p.level, p.parent, n] for n, p in enumerate(places)],
            )
        # regions the gazetteer does not know: coded name:<name>, as the build codes them
        con.execute(
            f"""INSERT INTO regions SELECT {
                _select_list(
                    con,
                    "regions",
                    {
                        "code": "'name:地区' || lpad(i::VARCHAR, 4, '0')",
                        "name": "'地区' || lpad(i::VARCHAR, 4, '0')",
                        "level": "'county'",
                        "parent": "NULL",
                        "aliases": "''",
                        "sort_order": "i",
                    },
                )
            } FROM range(?) t(i)""",
            [0 if real_regions else n_regions],
        )
        con.execute(f"""INSERT INTO documents SELECT {
            _select_list(
                con,
                "documents",
                {
                    "id": "'doc' || i",
                    "file": "'doc' || i || '.txt'",
                    "title": "'合成文件第' || i || '号'",
                    "issuer": "'合成单位'",
                    "date": "(2000 + i % 25)::VARCHAR || '-06-30'",
                    "year": "2000 + i % 25",
                    "n_chars": "40",
                    "text": "repeat('截至年底,全市建档立卡贫困人口若干人。', 2)",
                },
            )
        }
            FROM range(1000) t(i)""")
        con.execute(
            f"""CREATE TEMP TABLE grid AS
            SELECT row_number() OVER () - 1 AS n, r.code AS region_code, r.name AS region, y.y AS year,
                   i.key AS indicator, i.unit
            FROM regions r, (SELECT unnest(?::INTEGER[]) AS y) y, indicators i
            LIMIT {int(n_facts)}""",
            [list(YEARS)],
        )
        con.execute(
            f"""INSERT INTO claims SELECT {
                _select_list(
                    con,
                    "claims",
                    {
                        "id": "'c' || n",
                        "doc_id": "'doc' || (n % 1000)",
                        "char_start": "0",
                        "char_end": "4",
                        "text": "'1234人'",
                        "value": "1000 + (n * 7919) % 100000",
                        "unit": "unit",
                        "qualifier": "CASE WHEN n % 17 = 0 THEN 'approx' ELSE 'exact' END",
                        "region": "region",
                        "region_code": "CASE WHEN region_code LIKE 'name:%' THEN NULL ELSE region_code END",
                        "year": "year",
                        "cumulative": "false",
                        "indicator": "indicator",
                        "year_source": "'explicit'",
                        "sentence": "'截至' || year || '年底,' || region || '建档立卡贫困人口' "
                        "|| (1000 + (n * 7919) % 100000) || '人。'",
                        "sentence_start": "0",
                        "status": "'machine'",
                    },
                )
            } FROM grid"""
        )
        con.execute(
            f"""INSERT INTO claims SELECT {
                _select_list(
                    con,
                    "claims",
                    {
                        "id": "'x' || n",
                        "doc_id": "'doc' || ((n + 1) % 1000)",
                        "char_start": "0",
                        "char_end": "4",
                        "text": "'9999人'",
                        "value": "2000 + (n * 7919) % 100000",
                        "unit": "unit",
                        "qualifier": "'approx'",
                        "region": "region",
                        "year": "year",
                        "cumulative": "false",
                        "indicator": "indicator",
                        "year_source": "'explicit'",
                        "sentence": "'另一文件的说法。'",
                        "sentence_start": "0",
                        "status": "'machine'",
                    },
                )
            } FROM grid WHERE n % 100 = 0"""
        )
        con.execute(f"""INSERT INTO facts SELECT {
            _select_list(
                con,
                "facts",
                {
                    "region_code": "region_code",
                    "region": "region",
                    "year": "year",
                    "indicator": "indicator",
                    "value": "1000 + (n * 7919) % 100000",
                    "unit": "unit",
                    "qualifier": "CASE WHEN n % 17 = 0 THEN 'approx' ELSE 'exact' END",
                    "n_claims": "CASE WHEN n % 100 = 0 THEN 2 ELSE 1 END",
                    "conflict": "n % 100 = 0",
                    "claim_id": "'c' || n",
                    "doc_id": "'doc' || (n % 1000)",
                },
            )
        }
            FROM grid ORDER BY region_code, year, indicator""")
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("facts", "claims", "documents", "regions")
        }
    finally:
        con.close()
    return counts


def param_sets(db: str | Path, base: CompareParams, n: int = 8) -> list[CompareParams]:
    """A rotation of realistic requests: the base one and others with different indicators and regions."""
    inds = queries.indicators(db)
    keys = list(inds[inds.n_facts > 0].key)[:n] or [base.indicator]
    regions = list(queries.regions(db).query("n_facts > 0").code)
    out = []
    for k, key in enumerate(keys):
        chosen = tuple(regions[(k * 3 + j) % len(regions)] for j in range(min(3, len(regions))))
        y = queries.year_bounds(db, key) or (base.year_from, base.year_to)
        out.append(CompareParams(key, chosen, max(y[0], y[1] - 20), y[1], "abs" if k % 2 else "change"))
    return [base, *out]


def bench_db(label: str, db: str | Path, runs: int, png_runs: int) -> None:
    base = default_compare(db)
    sets = param_sets(db, base)
    callback_work(db, base)  # first call opens the file
    rot = iter(range(10**9))

    def just_queries() -> None:
        p = sets[next(rot) % len(sets)]
        queries.facts(db, [p.indicator], p.regions, p.year_from, p.year_to)
        queries.alternatives(db, [p.indicator], p.regions, p.year_from, p.year_to)

    q_med, q_p95 = timed(just_queries, runs)
    c_med, c_p95 = timed(lambda: callback_work(db, sets[next(rot) % len(sets)]), runs)
    def csv_work() -> None:
        chart = charts.compare_chart(db, sets[next(rot) % len(sets)])
        export.csv_bytes(chart.facts, chart.alternatives, "zh")

    e_med, e_p95 = timed(csv_work, runs)
    n_points = len(charts.compare_chart(db, base).facts)
    print(f"{label}: {db}")
    print(f"  compare queries (facts + alternatives): median {q_med:6.1f} ms   p95 {q_p95:6.1f} ms")
    print(
        f"  compare callback work (queries + figure + grid rows + JSON): median {c_med:6.1f} ms   "
        f"p95 {c_p95:6.1f} ms   (target p95 <= 100 ms; {runs} runs over {len(sets)} parameter sets, "
        f"e.g. {base.indicator} x {len(base.regions)} regions = {n_points} points)"
    )
    print(f"  /export.csv work (query + CSV with BOM): median {e_med:6.1f} ms   p95 {e_p95:6.1f} ms   "
          f"(target p95 <= 100 ms)")
    if png_runs and export.chromium_path():
        fig = charts.compare_chart(db, base).figure
        t0 = time.perf_counter()
        export.png_bytes(fig)
        cold = (time.perf_counter() - t0) * 1000
        p_med, p_p95 = timed(
            lambda: export.png_bytes(charts.compare_chart(db, sets[next(rot) % len(sets)]).figure), png_runs
        )
        print(
            f"  PNG export 1200x675 (chart + kaleido, warm): median {p_med:6.1f} ms   "
            f"p95 {p_p95:6.1f} ms   (target <= 1000 ms; first export, starting chromium: {cold:.0f} ms)"
        )


def map_work(db: str | Path, p: CompareParams) -> str:
    """What the map callback does besides wiring: the map (query + outlines + figure), grid rows, figure JSON."""
    view = maps.map_view(db, p)
    fact_rows(view.rows(), p.lang)
    return pio.to_json(view.figure, validate=False)


def bench_map(db: str | Path, runs: int, province: str = "41") -> None:
    """The map callback's p95 over the counties of ``province`` (each prefecture's map of its counties, latest
    year and a chosen year in turn) and the geometry each view sends, cold (outlines made) and warm."""
    inds = queries.indicators(db)
    indicator = inds.sort_values("n_facts", ascending=False).key.iloc[0]
    prefectures = [c for c in geo.children(province) if geo.has_map(c)]
    views = [CompareParams(indicator, (), 2013, 2022, view="map", parent=c, year=year)
             for c in prefectures for year in (None, 2020)]
    with tempfile.TemporaryDirectory() as cache:
        saved = os.environ.get("POVERTY_GEO_CACHE")
        os.environ["POVERTY_GEO_CACHE"] = cache
        geo.view.cache_clear()
        try:
            cold = []
            for parent in [province, *prefectures]:
                t0 = time.perf_counter()
                geo.view(parent)
                cold.append(time.perf_counter() - t0)
            geo.view.cache_clear()  # from here on as a later process: outlines read from the cache file
            t0 = time.perf_counter()
            for parent in [province, *prefectures]:
                geo.view(parent)
            from_file = (time.perf_counter() - t0) / (len(prefectures) + 1)
            rot = iter(range(10**9))
            med, p95 = timed(lambda: map_work(db, views[next(rot) % len(views)]), runs)
            pmed, pp95 = timed(lambda: map_work(db, replace(views[0], parent=province)), max(10, runs // 5))
        finally:
            os.environ.pop("POVERTY_GEO_CACHE") if saved is None else os.environ.update(POVERTY_GEO_CACHE=saved)
            geo.view.cache_clear()
    n_counties = sum(len(geo.view(c).codes) for c in prefectures)
    kbs = sorted(geo.view(c).kb for c in prefectures)
    name = GAZETTEER.display(province)
    print(f"  map callback work, {name}'s {n_counties} counties ({len(prefectures)} prefecture maps, latest year "
          f"and 2020): median {med:6.1f} ms   p95 {p95:6.1f} ms   (target p95 <= 300 ms; {runs} runs)")
    print(f"  map callback work, {name}'s prefectures (one map): median {pmed:6.1f} ms   p95 {pp95:6.1f} ms")
    print(f"  geometry per view: {name} {geo.view(province).kb:.0f} KB; its prefectures' county maps "
          f"{kbs[0]:.0f}–{kbs[-1]:.0f} KB (median {statistics.median(kbs):.0f} KB); 全国 {geo.view('CN').kb:.0f} KB "
          f"(limit {geo.MAX_BYTES // 1000} KB)")
    print(f"  outlines made once per view (coverage simplification): {min(cold) * 1000:.0f}–{max(cold) * 1000:.0f} ms;"
          f" read back from the cache file: {from_file * 1000:.1f} ms a view")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m dashboard.bench", description=__doc__.split("\n")[0])
    ap.add_argument(
        "--db", type=Path, default=queries.DEFAULT_DB, help="a built database (default %(default)s)"
    )
    ap.add_argument("--facts", type=int, default=1_000_000, help="facts in the synthetic database")
    ap.add_argument("--runs", type=int, default=100, help="timed callback runs per database")
    ap.add_argument("--png-runs", type=int, default=15, help="timed PNG exports per database (0: skip)")
    args = ap.parse_args(argv)
    try:
        if args.db.is_file():
            bench_db("given database", args.db, args.runs, args.png_runs)
        else:
            print(f"given database: {args.db} not found (build it with `make build`); skipped")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "synthetic.duckdb"
            t0 = time.perf_counter()
            counts = synthetic_db(path, args.facts)
            print(
                f"synthetic database: {counts['facts']:,} facts, {counts['claims']:,} claims, "
                f"{counts['regions']:,} regions, {counts['documents']:,} documents "
                f"(generated in {time.perf_counter() - t0:.1f} s)"
            )
            bench_db("synthetic database", path, args.runs, args.png_runs)
            queries.close_all()
            path.unlink()
            t0 = time.perf_counter()
            counts = synthetic_db(path, args.facts, real_regions=True)
            print(
                f"synthetic database keyed by real codes: {counts['facts']:,} facts, {counts['regions']:,} regions "
                f"(every province, prefecture and county; generated in {time.perf_counter() - t0:.1f} s)"
            )
            bench_map(path, args.runs)
            queries.close_all()
    finally:
        export.stop_png_server()
        queries.close_all()


if __name__ == "__main__":
    main()
