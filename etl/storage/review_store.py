"""Reviews against a database file: list claims, record reviews in the log and apply them at once."""
from __future__ import annotations

from pathlib import Path

from etl.storage.build import records, refresh_derived, swapped
from etl.storage.locking import write_lock
from etl.storage.reviews import Review, ReviewError, append_log, log_path, make_review, read_log

__all__ = ["ReviewError", "list_claims", "record"]


def _connect(db: Path):
    import duckdb

    if not db.exists():
        raise ReviewError(f"{db}: no database (build it first: make build)")
    return duckdb.connect(str(db), read_only=True)


def list_claims(db: Path, queue: bool = False, doc: str | None = None) -> list[dict]:
    """Claims (or the to-review queue), optionally of one document file, in document order."""
    with _connect(db) as con:
        return records(con, f"SELECT c.* FROM {'review_queue' if queue else 'claims'} c "
                            "JOIN documents d ON d.id = c.doc_id WHERE ? IS NULL OR d.file = ? "
                            "ORDER BY d.file, c.char_start", [doc, doc])


def record(db: Path, claim_ids: list[str], action: str, who: str | None = None,
           changes: list[tuple[str, str]] | None = None, auth: str = "cli", address: str | None = None) -> int:
    """Validate, log and apply reviews of ``claim_ids`` by ``who`` (known as ``auth``: account, local, cli);
    returns how many were recorded."""
    with write_lock(db):
        with _connect(db) as con:
            claims = {c["id"]: c for c in records(con, "SELECT * FROM claims WHERE list_contains(?, id)",
                                                  [list(claim_ids)])}
        unknown = [i for i in claim_ids if i not in claims]
        if unknown:
            raise ReviewError(f"unknown claim id(s): {', '.join(unknown)}")
        log = log_path(db)
        seq = max((r.seq for r in read_log(log)), default=0)
        new: list[Review] = []
        for cid in claim_ids:
            if action == "set":
                for f, v in changes or []:
                    seq += 1
                    new.append(make_review(claims[cid], action, who, seq, f, v, auth, address))
            else:
                seq += 1
                new.append(make_review(claims[cid], action, who, seq, auth=auth, address=address))
        append_log(log, new)
        with swapped(db, start_from_existing=True) as con:
            refresh_derived(con, read_log(log))
        return len(new)
