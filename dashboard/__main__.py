"""``python -m dashboard [--host 127.0.0.1] [--port 8050] [--db PATH] [--debug]``"""

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
        "--debug", action="store_true", help="Dash debug mode (reloader, dev tools); off by default"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.db.is_file():
        print(t("db_missing", "zh", path=args.db), file=sys.stderr)
        print(t("db_missing", "en", path=args.db), file=sys.stderr)
        return 2
    from dashboard.app import create_app

    app = create_app(args.db)
    print(f"脱贫攻坚指标看板: http://{args.host}:{args.port}/  (db: {args.db})", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
