"""Command line: ``python -m etl extract|build|ingest|review|check|regions|users``."""
from __future__ import annotations

import argparse
import csv
import json
import signal
import sys
import threading
from pathlib import Path

from etl.claims.document import resolve
from etl.claims.extract import extract_text, public
from etl.reading.budget import OverBudget, budget
from etl.reading.decode import DocumentError
from etl.reading.formats import to_text
from etl.reading.metadata import DocMeta, read_manifest

DEFAULT_DB = "data/poverty.duckdb"
DEFAULT_STORE = "data/documents"


def cmd_extract(args: argparse.Namespace) -> int:
    """Print the claims of each file as JSON Lines; unreadable files, and files over their budget
    (``etl.reading.budget``), on stderr, exit 1."""
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            with budget():
                converted = to_text(path)  # every supported format: text, HTML, .docx, PDF, spreadsheets
                text = converted.text
                meta = resolve(path.name, text, read_manifest(path.parent), region=args.region, date=args.date,
                               found=DocMeta(path.name, title=converted.title, date=converted.date,
                                             issuer=converted.issuer))
                claims = extract_text(text, region=meta.region, date=meta.date, report_year=meta.report_year)
        except (OSError, DocumentError) as e:
            print(f"{name}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
            status = 1
            continue
        except OverBudget as e:
            print(f"{name}: {e}; skipped", file=sys.stderr)
            status = 1
            continue
        for claim in claims:
            row = {"doc": path.name, **public(claim)}
            row.pop("sentence_start")
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return status


def cmd_build(args: argparse.Namespace) -> int:
    """Build the DuckDB database from folders of documents (atomically)."""
    from etl.storage.build import build, stderr_progress

    folders = [Path(d) for d in (args.docs or [d for d in ("seeds", DEFAULT_STORE) if Path(d).is_dir()])]
    show = args.progress or sys.stderr.isatty()
    report = build(folders, Path(args.db), progress=stderr_progress if show else None)
    for line in report.problems + report.duplicates:
        print(line, file=sys.stderr)
    print(f"{report.documents} documents, {report.claims} claims, {report.facts} facts -> {args.db}")
    return 0 if report.documents or not report.problems else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    """Add documents (text, HTML, .docx, PDF) to the documents folder and the database."""
    from etl.storage.build import stderr_progress
    from etl.storage.ingest import ingest

    report = ingest([Path(f) for f in args.files], Path(args.store), Path(args.db), region=args.region,
                    date=args.date, title=args.title, seeds=Path("seeds"), progress=stderr_progress)
    for line in report.duplicates + report.problems:
        print(line, file=sys.stderr)
    print(f"{len(report.added)} added, {len(report.duplicates)} already stored, {len(report.problems)} refused; "
          f"{report.claims} claims")
    return 1 if report.problems else 0


def cmd_review(args: argparse.Namespace) -> int:
    """List claims (or the to-review queue), or accept, reject or correct them by id."""
    from etl.storage.review_store import ReviewError, list_claims, record

    db = Path(args.db)
    try:
        if args.action == "list":
            rows = list_claims(db, queue=args.queue, doc=args.doc)
            w = csv.writer(sys.stdout)
            w.writerow(["id", "status", "text", "value", "unit", "qualifier", "region", "year", "indicator",
                        "sentence"])
            for r in rows:
                w.writerow([r["id"], r["status"], r["text"], r["value"], r["unit"], r["qualifier"], r["region"],
                            r["year"], r["indicator"], r["sentence"][:80]])
            return 0
        ids = [i for i in args.items if "=" not in i]
        changes = [tuple(i.split("=", 1)) for i in args.items if "=" in i]
        if not ids:
            raise ReviewError(f"{args.action} needs a claim id (python -m etl review list shows them)")
        if args.action == "set" and (len(ids) != 1 or not changes):
            raise ReviewError("set needs one claim id and FIELD=VALUE (e.g. value=12585 year=2022)")
        n = record(db, ids, args.action, who=args.who, changes=changes)
        print(f"{n} reviews recorded")
        return 0
    except ReviewError as e:
        print(f"review: {e}", file=sys.stderr)
        return 2


def cmd_check(args: argparse.Namespace) -> int:
    """Print the consistency findings (核查), optionally as CSV (UTF-8 with BOM)."""
    import duckdb

    with duckdb.connect(args.db, read_only=True) as con:
        df = con.execute("SELECT kind, status, message, region, year, indicator, claim_ids FROM findings "
                         "WHERE status <> 'ok' OR ? ORDER BY kind, id", [args.all]).df()
    if args.csv:
        Path(args.csv).write_bytes(df.to_csv(index=False).encode("utf-8-sig"))
        print(f"{len(df)} findings -> {args.csv}")
    else:
        for r in df.itertuples():
            print(f"[{r.kind}/{r.status}] {r.message}  (claims {r.claim_ids})")
    return 0


def region_lines(name: str, near: str | None = None) -> list[str]:
    """'320106  county  南京市鼓楼区  江苏省 > 南京市' for every place ``name`` can be (a name, an alias, a former
    name, a display name or a code), those within or around ``near`` first."""
    from etl.claims.regions import COUNTRY, GAZETTEER

    lines = []
    for code in GAZETTEER.lookup(name.strip(), near):
        parents = [GAZETTEER.place(a).name for a in reversed(GAZETTEER.ancestors(code)[1:]) if a != COUNTRY]
        line = f"{code}  {GAZETTEER.level(code)}  {GAZETTEER.display(code)}  {' > '.join(parents)}".rstrip()
        until = [u for c, u in GAZETTEER.former.get(name.strip(), ()) if c == code]
        if until and code not in GAZETTEER.names.get(name.strip(), ()):
            line += f"  ({name.strip()}: former name" + (f", until {until[0]})" if until[0] else ")")
        lines.append(line)
    return lines


def cmd_regions(args: argparse.Namespace) -> int:
    """List the places a region name can be, with code, level, display name and parents."""
    from etl.claims.regions import GAZETTEER

    if args.near and GAZETTEER.parse(args.near) is None:
        print(f"regions: --near {args.near}: no single place of that name; listed without it", file=sys.stderr)
    lines = region_lines(args.name, args.near)
    if not lines:
        print(f"regions: no region named {args.name!r}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def read_password(prompt: str = "password") -> str:
    """A password typed twice at a terminal (not echoed), or the first line of standard input."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass(f"{prompt} again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    """Dashboard accounts: add, list, set-role, disable, enable, reset-password."""
    from etl.storage import accounts

    path = Path(args.accounts) if args.accounts else accounts.accounts_path(args.db)
    try:
        if args.users_command == "list":
            print("name,role,status")
            for a in accounts.all_accounts(path):
                print(f"{a.name},{a.role},{'disabled' if a.disabled else 'active'}")
            return 0
        if args.users_command == "add":
            accounts.add(path, args.name, args.role, read_password())
            print(f"account {args.name} ({args.role}) added to {path}")
        elif args.users_command == "set-role":
            accounts.set_role(path, args.name, args.role)
            print(f"account {args.name} is now {args.role}")
        elif args.users_command in ("disable", "enable"):
            accounts.set_disabled(path, args.name, args.users_command == "disable")
            print(f"account {args.name} {args.users_command}d")
        elif args.users_command == "reset-password":
            accounts.reset_password(path, args.name, read_password("new password"))
            print(f"password of {args.name} changed; its open sessions end")
        return 0
    except (accounts.AccountError, ValueError) as e:
        print(f"users: {e}", file=sys.stderr)
        return 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="脱贫攻坚文件数字抽取 / claim extraction")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print the claims of documents as JSON Lines")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--region", help="the documents' region (standard name, e.g. 郑州市)")
    e.add_argument("--date", help="the documents' date, YYYY-MM-DD")
    e.set_defaults(func=cmd_extract)
    b = sub.add_parser("build", help="build the DuckDB database from folders of documents")
    b.add_argument("--docs", action="append", help=f"folder of documents (repeatable; default: seeds and "
                                                   f"{DEFAULT_STORE} when present)")
    b.add_argument("--db", default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")
    b.add_argument("--progress", action="store_true",
                   help="show the progress bar on stderr even when it is not a terminal")
    b.set_defaults(func=cmd_build)
    i = sub.add_parser("ingest", help="add documents (.txt, .html, .docx, .pdf) to the corpus and database")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--region", help="the documents' region (standard name)")
    i.add_argument("--date", help="the documents' date, YYYY-MM-DD")
    i.add_argument("--title", help="the documents' title")
    i.add_argument("--store", default=DEFAULT_STORE, help=f"documents folder (default: {DEFAULT_STORE})")
    i.add_argument("--db", default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")
    i.set_defaults(func=cmd_ingest)
    r = sub.add_parser("review", help="list, accept, reject or correct claims")
    r.add_argument("action", choices=["list", "accept", "reject", "set"])
    r.add_argument("items", nargs="*", metavar="CLAIM_ID|FIELD=VALUE",
                   help="claim ids; with set, one id then FIELD=VALUE pairs (fields: value, value_high, unit, "
                        "qualifier, region, year, period_start, indicator, rate; an empty VALUE clears)")
    r.add_argument("--queue", action="store_true", help="with list: only the to-review queue")
    r.add_argument("--doc", help="with list: only claims of this document file")
    r.add_argument("--who", help="reviewer's name (default: the login name)")
    r.add_argument("--db", default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")
    r.set_defaults(func=cmd_review)
    c = sub.add_parser("check", help="consistency findings (核查)")
    c.add_argument("--csv", help="write them to this CSV file (UTF-8 with BOM)")
    c.add_argument("--all", action="store_true", help="include the checks that passed")
    c.add_argument("--db", default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")
    c.set_defaults(func=cmd_check)
    g = sub.add_parser("regions", help="the region gazetteer (统计用区划代码)")
    gsub = g.add_subparsers(dest="regions_command", required=True)
    f = gsub.add_parser("find", help="the places a name can be: code, level, display name, parents")
    f.add_argument("name", metavar="NAME", help="a name, alias, former name or code (鼓楼区, 宁乡县, 320106)")
    f.add_argument("--near", metavar="PLACE", help="list the places within or around this one first (南京市)")
    f.set_defaults(func=cmd_regions)
    _users_parser(sub)
    return p


def _users_parser(sub) -> None:
    from etl.storage.accounts import ROLES

    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--db", default=DEFAULT_DB, help=f"database whose accounts these are (default: {DEFAULT_DB};"
                                                       " the accounts file is accounts.sqlite beside it)")
    where.add_argument("--accounts", help="the accounts file itself (default: $POVERTY_ACCOUNTS or beside --db)")
    u = sub.add_parser("users", help="dashboard accounts (roles: viewer, reviewer, editor, admin)")
    usub = u.add_subparsers(dest="users_command", required=True)
    usub.add_parser("list", parents=[where], help="name, role and status of every account")
    a = usub.add_parser("add", parents=[where],
                        help="a new account; its password typed twice, or one line on standard input")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=ROLES, default="viewer", help="viewer (default), reviewer, editor, admin")
    s = usub.add_parser("set-role", parents=[where], help="change an account's role")
    s.add_argument("name", metavar="NAME")
    s.add_argument("role", choices=ROLES)
    for name, text in (("disable", "stop an account signing in (its sessions end)"),
                       ("enable", "let a disabled account sign in again"),
                       ("reset-password", "a new password (typed twice, or on standard input)")):
        usub.add_parser(name, parents=[where], help=text).add_argument("name", metavar="NAME")
    u.set_defaults(func=cmd_users)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():  # stopped (kill, Ctrl-C): clean up on the way out
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    return args.func(args)
