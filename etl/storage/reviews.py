"""Reviews of claims by people: accept, reject, or set a field. They live in a CSV log (``reviews.csv``
beside the database), keyed by document checksum and character offsets, so that a rebuild from scratch
re-applies every one, in order. Each row carries who, when, the old and the new value, how ``who`` is known
(``auth``: ``account`` a dashboard account signed in, ``local`` the machine's login in the dashboard's one-person
mode, ``cli`` the command line's ``--who`` or login; empty for rows written before accounts: unauthenticated,
a typed name) and the address the request came from.

A new region is given as a name, an alias or a code (郑州, 南京市鼓楼区, 320106) and logged by the name unique in
China it resolves to (a bare name several places share is refused unless the claim's own region tells which);
on applying, the claim gets that name and its code (``region`` and ``region_code``). A log written before the
codes may hold a bare shared name (鼓楼区): it is read near the claim's own region, and when that does not tell,
the claim keeps the name as written and no code (nothing is guessed, nothing is lost).

>>> claim = {"id": "c1", "doc_id": "d", "char_start": 0, "char_end": 4, "value": 100.0, "status": "machine"}
>>> log = [Review(1, "2024-01-01T00:00:00", "li", "c1", "d", 0, 4, "set", "value", "100.0", "120")]
>>> apply_reviews([claim], log)[0]["value"], claim["status"]
(120.0, 'corrected')
"""
from __future__ import annotations

import csv
import getpass
import os
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from etl.claims.indicators import taxonomy
from etl.claims.regions import GAZETTEER
from etl.storage.checks import QUALIFIERS, UNITS

ACTIONS = ("accept", "reject", "set")
EDITABLE = {"value": float, "value_high": float, "unit": str, "qualifier": str, "region": str, "year": int,
            "period_start": int, "indicator": str, "rate": str}


class ReviewError(ValueError):
    """A review that cannot be applied (unknown claim, field or value)."""


@dataclass(frozen=True)
class Review:
    seq: int
    reviewed_at: str
    who: str
    claim_id: str
    doc_id: str
    char_start: int
    char_end: int
    action: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    auth: str | None = None  # account, local, cli; None: written before accounts (a typed name, unauthenticated)
    address: str | None = None  # the client's address, for reviews made in the dashboard


COLUMNS = [f.name for f in fields(Review)]


def log_path(db_path: Path) -> Path:
    """The reviews log that belongs to a database file."""
    return db_path.parent / "reviews.csv"


def read_log(path: Path) -> list[Review]:
    """All reviews in the log, in order (empty when there is no log yet)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [Review(int(r["seq"]), r["reviewed_at"], r["who"], r["claim_id"], r["doc_id"], int(r["char_start"]),
                       int(r["char_end"]), r["action"], r["field"] or None, r["old"] or None, r["new"] or None,
                       r.get("auth") or None, r.get("address") or None)
                for r in csv.DictReader(f)]


def _upgrade_header(path: Path) -> None:
    """Give a log written before accounts the new columns (its rows kept as written, empty ``auth``: they stay
    marked unauthenticated); the file is replaced atomically."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] == COLUMNS:
        return
    if rows[0] != COLUMNS[:len(rows[0])]:
        raise ReviewError(f"{path}: unexpected columns {rows[0]}")
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(r + [""] * (len(COLUMNS) - len(r)) for r in rows[1:])
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def append_log(path: Path, reviews: list[Review]) -> None:
    """Append reviews to the log (created with its header when new), flushed to disk."""
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not new:
        _upgrade_header(path)
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(COLUMNS)
        for r in reviews:
            w.writerow(["" if v is None else v for v in astuple(r)])
        f.flush()
        os.fsync(f.fileno())


def parse_value(field: str, raw: str | None):
    """The typed value of ``FIELD=VALUE``; empty means NULL. Raises ReviewError for a bad value."""
    if field not in EDITABLE:
        raise ReviewError(f"cannot set {field!r}; editable fields: {', '.join(EDITABLE)}")
    if raw is None or raw.strip() == "":
        if field in ("value", "unit", "qualifier"):
            raise ReviewError(f"{field} cannot be empty")
        return None
    raw = raw.strip()
    try:
        value = EDITABLE[field](raw)
    except ValueError:
        raise ReviewError(f"{field}: {raw!r} is not a {EDITABLE[field].__name__}") from None
    allowed = {"unit": UNITS, "qualifier": QUALIFIERS, "indicator": tuple(taxonomy())}.get(field)
    if allowed and value not in allowed:
        raise ReviewError(f"{field}: {raw!r} is not one of {', '.join(allowed)}")
    return value


def resolve_region(name: str | None, near: str | None = None) -> tuple[str | None, str | None]:
    """(display name, code) of a region as a review writes it: a name, a display name or a code, a shared
    name read near ``near`` (a code); (name as written, None) when the gazetteer cannot tell.

    >>> resolve_region("郑州"), resolve_region("鼓楼区", near="3201"), resolve_region("鼓楼区")
    (('郑州市', '4101'), ('南京市鼓楼区', '320106'), ('鼓楼区', None))
    """
    if name is None or not name.strip():
        return None, None
    name = name.strip()
    code = GAZETTEER.parse(name) or (GAZETTEER.parse(name, near=near) if near else None)
    return (GAZETTEER.display(code), code) if code else (name, None)


def check_region(name: str | None, near: str | None = None) -> None:
    """Raise ReviewError for a new review's region that several places share and ``near`` does not tell."""
    if resolve_region(name, near)[1] is not None or name is None:
        return
    shared = GAZETTEER.candidates(name.strip())
    if len(shared) > 1:
        listed = "、".join(f"{GAZETTEER.display(c)} ({c})" for c in shared)
        raise ReviewError(f"region {name!r} is shared by {listed}: write one of them (name or code)")


def apply_reviews(claims: list[dict], reviews: list[Review]) -> list[dict]:
    """Apply the log to claims (matched by document and offsets), in order; sets each claim's status.
    Reviews of claims that are no longer extracted are kept in the log and skipped here."""
    by_key = {(c["doc_id"], c["char_start"], c["char_end"]): c for c in claims}
    for r in reviews:
        c = by_key.get((r.doc_id, r.char_start, r.char_end))
        if c is None:
            continue
        if r.action == "reject":
            c["status"] = "rejected"
        elif r.action == "accept":
            c["status"] = "accepted" if c.get("status") != "corrected" else "corrected"
            if not c.get("indicator") and c.get("indicator_candidate"):
                c["indicator"] = c["indicator_candidate"]  # accepting an unsure reading accepts its candidate
        elif r.action == "set" and r.field == "region":
            c["region"], c["region_code"] = resolve_region(parse_value("region", r.new), c.get("region_code"))
            c["status"] = "corrected"
        elif r.action == "set" and r.field:
            c[r.field] = parse_value(r.field, r.new)
            if r.field == "year":
                c["year_source"] = "explicit"
            c["status"] = "corrected"
    return claims


def make_review(claim: dict, action: str, who: str | None, seq: int, field: str | None = None,
                new: str | None = None, auth: str = "cli", address: str | None = None) -> Review:
    """A new review of ``claim`` (validated), numbered ``seq``, by ``who`` known as ``auth``."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    old = None
    if action == "set":
        if field is None:
            raise ReviewError("set needs FIELD=VALUE")
        value = parse_value(field, new)
        if field == "region":
            check_region(value, claim.get("region_code"))
            new = resolve_region(value, claim.get("region_code"))[0]
        old = None if claim.get(field) is None else str(claim[field])
    return Review(seq, datetime.now(UTC).isoformat(timespec="seconds"), who or _user(), claim["id"],
                  claim["doc_id"], claim["char_start"], claim["char_end"], action, field, old, new, auth, address)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
