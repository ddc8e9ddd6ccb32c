"""Command line: ``python -m etl extract FILE...`` and ``python -m etl build``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.decode import DocumentError, read_document
from etl.extract import extract_text, public
from etl.metadata import read_manifest, resolve


def cmd_extract(args: argparse.Namespace) -> int:
    """Print the claims of each file as JSON Lines; unreadable files on stderr, exit 1."""
    status = 0
    out = sys.stdout
    for name in args.files:
        path = Path(name)
        try:
            text = read_document(path)
        except (OSError, DocumentError) as e:
            print(f"{name}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
            status = 1
            continue
        meta = resolve(path.name, text, read_manifest(path.parent), region=args.region, date=args.date)
        for claim in extract_text(text, region=meta.region, date=meta.date):
            row = {"doc": path.name, **public(claim)}
            row.pop("sentence_start")
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return status


def cmd_build(args: argparse.Namespace) -> int:
    """Build the DuckDB database from a folder of documents (atomically)."""
    from etl.build import build

    report = build(Path(args.docs), Path(args.db))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"{report.documents} documents, {report.claims} claims, {report.facts} facts -> {args.db}")
    return 0 if report.documents or not report.problems else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="脱贫攻坚文件数字抽取 / claim extraction")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print the claims of documents as JSON Lines")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--region", help="the documents' region (standard name, e.g. 郑州市)")
    e.add_argument("--date", help="the documents' date, YYYY-MM-DD")
    e.set_defaults(func=cmd_extract)
    b = sub.add_parser("build", help="build the DuckDB database from a folder of documents")
    b.add_argument("--docs", default="seeds", help="folder of documents (default: seeds)")
    b.add_argument("--db", default="data/poverty.duckdb", help="database file (default: data/poverty.duckdb)")
    b.set_defaults(func=cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
