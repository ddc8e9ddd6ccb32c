"""Dashboard accounts: names, roles and password hashes in a small SQLite file beside the database
(``accounts.sqlite``, or ``$POVERTY_ACCOUNTS``). Builds replace only the DuckDB file, so accounts survive
every rebuild. Passwords are kept as werkzeug scrypt hashes (memory-hard), never as text. The same file
counts sign-in attempts, so that the limit holds across gunicorn workers, and holds the open sessions: signing
out deletes one, so a copy of its cookie is worth nothing afterwards.

>>> import tempfile; path = Path(tempfile.mkdtemp()) / "accounts.sqlite"
>>> add(path, "li", "reviewer", "correct horse battery")
>>> check(path, "li", "correct horse battery").role, check(path, "li", "wrong password")
('reviewer', None)
"""
from __future__ import annotations

import os
import re
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("viewer", "reviewer", "editor", "admin")  # each may do what the ones before it may
NAME = re.compile(r"^[\w.@-]{1,64}$")  # letters (Chinese too), digits, _ . @ -
MIN_PASSWORD = 8
HASH_METHOD = "scrypt"
_DUMMY = generate_password_hash("not a password", method=HASH_METHOD)  # unknown names cost the same time

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, changed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (at REAL NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL,
    result TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL, started REAL NOT NULL);
"""
SESSION_HOURS = 12  # a session ends this long after its sign-in, however busy


class AccountError(ValueError):
    """A bad name, role or password, or an unknown account."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool
    stamp: str  # changes when the password does: a session made before a reset stops working


def accounts_path(db: str | Path) -> Path:
    """The accounts file of a database: ``$POVERTY_ACCOUNTS``, else ``accounts.sqlite`` beside it."""
    configured = os.environ.get("POVERTY_ACCOUNTS")
    return Path(configured) if configured else Path(db).parent / "accounts.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    """The accounts file, made readable by its owner only (SQLite gives its -wal and -shm files the same mode)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    con = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript(SCHEMA)
    return con


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _stamp(hashed: str) -> str:
    return hashed[-12:]  # the end of the salted hash: changes with every new password


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password too short: at least {MIN_PASSWORD} characters")


def _row(row: tuple | None) -> Account | None:
    return None if row is None else Account(row[0], row[1], bool(row[3]), _stamp(row[2]))


def add(path: Path, name: str, role: str, password: str) -> None:
    """Create an account; AccountError for a bad or taken name, an unknown role or a short password."""
    if not NAME.match(name):
        raise AccountError(f"bad name {name!r}: 1 to 64 letters, digits or _ . @ -")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    _check_password(password)
    with closing(_connect(path)) as con:
        if con.execute("SELECT 1 FROM accounts WHERE name = ?", [name]).fetchone():
            raise AccountError(f"account {name!r} exists already")
        con.execute("INSERT INTO accounts VALUES (?, ?, ?, 0, ?, ?)",
                    [name, role, generate_password_hash(password, method=HASH_METHOD), _now(), _now()])


def all_accounts(path: Path) -> list[Account]:
    """Every account, by name."""
    if not path.exists():
        return []
    with closing(_connect(path)) as con:
        return [_row(r) for r in con.execute("SELECT name, role, hash, disabled FROM accounts ORDER BY name")]


def has_admin(path: Path) -> bool:
    """Whether an enabled admin account exists."""
    return any(a.role == "admin" and not a.disabled for a in all_accounts(path))


def _update(path: Path, name: str, sql: str, params: list) -> None:
    with closing(_connect(path)) as con:
        if con.execute(f"UPDATE accounts SET {sql}, changed_at = ? WHERE name = ?",
                       [*params, _now(), name]).rowcount != 1:
            raise AccountError(f"no account {name!r}")


def set_role(path: Path, name: str, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    _update(path, name, "role = ?", [role])


def set_disabled(path: Path, name: str, disabled: bool = True) -> None:
    """Disable (or enable again) an account: a disabled one cannot sign in, and its sessions end."""
    _update(path, name, "disabled = ?", [int(disabled)])


def reset_password(path: Path, name: str, password: str) -> None:
    """A new password; sessions signed in with the old one end."""
    _check_password(password)
    _update(path, name, "hash = ?", [generate_password_hash(password, method=HASH_METHOD)])


def check(path: Path, name: str, password: str) -> Account | None:
    """The enabled account whose password this is (None otherwise, in the same time whether or not the name
    exists)."""
    row = None
    if path.exists():
        with closing(_connect(path)) as con:
            row = con.execute("SELECT name, role, hash, disabled FROM accounts WHERE name = ?", [name]).fetchone()
    ok = check_password_hash(row[2] if row else _DUMMY, password)
    account = _row(row)
    return account if ok and account is not None and not account.disabled else None


def record_attempt(path: Path, name: str, address: str, result: str) -> None:
    """Log one sign-in attempt (result ``ok``, ``bad`` or ``limited``); never the password."""
    with closing(_connect(path)) as con:
        con.execute("DELETE FROM attempts WHERE at < ?", [time.time() - 30 * 86400])
        con.execute("INSERT INTO attempts VALUES (?, ?, ?, ?)", [time.time(), name[:64], address, result])


def recent_failures(path: Path, name: str, address: str, seconds: float = 60) -> tuple[int, int]:
    """Failed sign-ins in the last ``seconds``: (for this account name, from this address)."""
    if not path.exists():
        return 0, 0
    since = time.time() - seconds
    with closing(_connect(path)) as con:
        return con.execute(
            "SELECT count(*) FILTER (WHERE name = ?), count(*) FILTER (WHERE address = ?) FROM attempts "
            "WHERE at >= ? AND result = 'bad'", [name[:64], address, since]).fetchone()


def open_session(path: Path, name: str) -> str:
    """A new session of account ``name``: its random id (sessions past SESSION_HOURS are dropped)."""
    sid = secrets.token_urlsafe(24)
    with closing(_connect(path)) as con:
        con.execute("DELETE FROM sessions WHERE started < ?", [time.time() - SESSION_HOURS * 3600])
        con.execute("INSERT INTO sessions VALUES (?, ?, ?)", [sid, name, time.time()])
    return sid


def session_account(path: Path, sid: str) -> Account | None:
    """The account of open session ``sid`` (None once it is closed, past SESSION_HOURS, or unknown).

    >>> import tempfile; path = Path(tempfile.mkdtemp()) / "accounts.sqlite"
    >>> add(path, "li", "reviewer", "correct horse battery"); sid = open_session(path, "li")
    >>> session_account(path, sid).name, close_session(path, sid), session_account(path, sid)
    ('li', None, None)
    """
    if not path.exists():
        return None
    with closing(_connect(path)) as con:
        return _row(con.execute(
            "SELECT a.name, role, hash, disabled FROM sessions s JOIN accounts a ON a.name = s.name "
            "WHERE s.id = ? AND s.started >= ?", [sid, time.time() - SESSION_HOURS * 3600]).fetchone())


def close_session(path: Path, sid: str) -> None:
    """End a session (signing out)."""
    with closing(_connect(path)) as con:
        con.execute("DELETE FROM sessions WHERE id = ?", [sid])


def secret_key(path: Path) -> str:
    """The key that signs session cookies, made once and kept in the accounts file (shared by all workers)."""
    with closing(_connect(path)) as con:
        con.execute("INSERT OR IGNORE INTO settings VALUES ('secret_key', ?)", [secrets.token_hex(32)])
        return con.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()[0]
