"""``python -m dashboard [--host 127.0.0.1] [--port 8050] [--db PATH] [--team] [--private] [--read-only]``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.i18n import t
from dashboard.queries import DEFAULT_DB


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard", description="脱贫攻坚指标看板 · poverty-alleviation indicator dashboard"
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default {DEFAULT_DB})")
    p.add_argument(
        "--team",
        action="store_true",
        help="accounts even on 127.0.0.1 (the default there, while no account exists, is local mode: "
        "no sign-in, writes from this machine only)",
    )
    p.add_argument("--private", action="store_true", help="reading needs an account too")
    p.add_argument("--read-only", action="store_true", help="no uploads, reviews or corrections at all")
    p.add_argument(
        "--origin",
        action="append",
        default=[],
        help="an origin to accept POSTs from besides the server's own (a proxy's https://name); repeatable",
    )
    p.add_argument(
        "--debug", action="store_true", help="Dash debug mode (reloader, dev tools); off by default"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.db.is_file():
        print(t("db_missing", "zh", path=args.db), file=sys.stderr)
        print(t("db_missing", "en", path=args.db), file=sys.stderr)
        return 2
    from dashboard import auth
    from dashboard.app import create_app
    from etl.storage.accounts import accounts_path

    path = accounts_path(args.db)
    mode = auth.choose_mode(args.host, args.team or args.private, path)
    refusal = auth.startup_refusal(mode, args.read_only, path)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    app = create_app(args.db, mode, args.private, args.read_only, tuple(args.origin))
    how = "本机模式 local mode: writes from this machine only" if mode == "local" else "团队模式 team mode: accounts"
    print(f"脱贫攻坚指标看板: http://{args.host}:{args.port}/  (db: {args.db}; {how})", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
