"""Each row of the data files (units, multipliers, qualifiers, the indicator vocabulary: objects, aspects,
whose, keys) has a one-line example; each example is its own test."""
from __future__ import annotations

import pytest
from conftest import marked

from etl.claims.extract import extract_text
from etl.claims.indicators import read_window
from etl.reading.numerals import parse_chinese
from etl.tables import rows


def claim_at(example: str) -> dict:
    text, start, end = marked(example)
    claims = [c for c in extract_text(text) if (c["start"], c["end"]) == (start, end)]
    assert claims, f"no claim at {text[start:end]!r} in {text!r}: {extract_text(text)}"
    return claims[0]


@pytest.mark.parametrize("row", rows("units"), ids=lambda r: r["surface"])
def test_unit(row):
    assert claim_at(row["example"])["unit"] == row["unit"]


@pytest.mark.parametrize("row", rows("multipliers"), ids=lambda r: r["surface"])
def test_multiplier(row):
    text, start, end = marked(row["example"])
    mention = text[start:end]
    number = mention[:mention.index(row["surface"])].rstrip("余多")
    base = float(number) if number[0].isdigit() else parse_chinese(number + row["surface"]) / float(row["factor"])
    assert claim_at(row["example"])["value"] == pytest.approx(base * float(row["factor"]))


@pytest.mark.parametrize("row", rows("qualifiers"), ids=lambda r: f"{r['position']}:{r['surface']}")
def test_qualifier(row):
    assert claim_at(row["example"])["qualifier"] == row["qualifier"]


def _expect(row: dict[str, str]) -> str | None:
    return row["key"] or None


@pytest.mark.parametrize("row", rows("indicator_objects"), ids=lambda r: f"{r['object']}:{r['surface']}")
def test_indicator_object(row):
    """What is counted: the example's figure reads as the expected key (or as none)."""
    assert claim_at(row["example"])["indicator"] == _expect(row)


@pytest.mark.parametrize("row", rows("indicator_aspects"), ids=lambda r: f"{r['aspect']}:{r['surface']}")
def test_indicator_aspect(row):
    """What happened to it (and when): the example's figure reads as the expected key (or as none)."""
    assert claim_at(row["example"])["indicator"] == _expect(row)


@pytest.mark.parametrize("row", rows("indicator_whose"), ids=lambda r: f"{r['whose']}:{r['surface']}")
def test_indicator_whose(row):
    """Whose it is: the example's figure reads as the expected key (or as none)."""
    assert claim_at(row["example"])["indicator"] == _expect(row)


@pytest.mark.parametrize("row", rows("indicator_keys"),
                         ids=lambda r: ",".join(r[c] for c in ("object", "aspect", "time", "whose", "unit")))
def test_indicator_key_row(row):
    """Each row of the keys table is the one that reads its example: the key as candidate, with the row's
    confidence (a low row abstains: no indicator)."""
    claim = claim_at(row["example"])
    rule = claim["evidence"]["indicator"]["rule"]
    assert rule == "keys:" + ",".join(row[c] for c in ("object", "aspect", "time", "whose", "unit"))
    assert claim["indicator_candidate"] == _expect(row)
    assert claim["confidence"] == ("low" if row["key"] and row["confidence"] == "low" else "high")
    assert claim["indicator"] == (_expect(row) if row["confidence"] == "high" else None)


@pytest.mark.parametrize("row", rows("indicator_rounds"), ids=lambda r: r["surface"])
def test_a_figure_counted_in_rounds_is_unsure(row):
    claim = claim_at(row["example"])
    assert claim["indicator"] is None and claim["confidence"] == "low" and claim["indicator_candidate"]


@pytest.mark.parametrize("row", rows("indicator_subjects"), ids=lambda r: r["surface"])
def test_a_whole_place_as_subject_keeps_an_earlier_owner_out(row):
    """全县人均可支配收入 after a clause about the poor is not the poor's income: at most an unsure guess."""
    claim = claim_at(row["example"])
    assert claim["indicator_candidate"] != "lifted_per_capita_income" and claim["indicator"] is None


@pytest.mark.parametrize("row", rows("indicator_traditional"), ids=lambda r: r["traditional"])
def test_traditional_character(row):
    """A traditional character reads as its simplified one (the vocabulary is simplified)."""
    from etl.claims.indicators import Cues
    assert Cues(row["traditional"]).text == row["simplified"]


def test_traditional_text_reads_like_simplified():
    assert read_window("全縣共有監測對象#", "household").key == "monitored_households"


def _table_example(example: str) -> tuple[str, int, int]:
    """A table example: rows separated by \\n, cells by \\t (as written in table_words.csv), one cell marked."""
    return marked(example.replace("\\t", "\t").replace("\\n", "\n"))


@pytest.mark.parametrize("row", rows("table_words"), ids=lambda r: f"{r['role']}:{r['surface']}")
def test_table_word(row):
    """Words of tables: a total row takes the document's region and is checked as a total; a label column
    (序号) and a blank or dash cell give no figure; a header word gives its column's unit; a unit line's
    label gives the unit of the columns below it."""
    text, start, end = _table_example(row["example"])
    claims = [c for c in extract_text(text, region="保山市") if c.get("table")]
    at = [c for c in claims if (c["start"], c["end"]) == (start, end)]
    role = row["role"]
    if role in ("label", "blank"):
        assert not at and claims, (text[start:end], claims)
        return
    assert at, f"no claim at {text[start:end]!r} in {text!r}"
    claim = at[0]
    if role in ("total", "subtotal"):
        assert claim["region"] == "保山市" and claim["evidence"]["table"]["total"] == role
    elif role == "header_unit":
        assert claim["unit"] == row["unit"]
    elif role == "unit_label":
        assert claim["unit"] in ("household", "person") and claim["evidence"]["table"]["unit"]


@pytest.mark.parametrize("row", rows("not_places"), ids=lambda r: f"{r['word']}:{r['name']}")
def test_a_word_holding_a_place_name_names_no_place(row):
    from etl.claims.regions import GAZETTEER

    at = row["example"].index(row["word"]) + row["word"].index(row["name"])
    assert not [f for f in GAZETTEER.find(row["example"]) if f.start == at]


@pytest.mark.parametrize("row", rows("congress_terms"), ids=lambda r: r["place"])
def test_a_congress_session_names_its_year(row):
    from etl.reading.metadata import congress_year

    assert congress_year("记者从召开的" + row["example"] + "上获悉") == int(row["year"])
