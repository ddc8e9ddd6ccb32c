"""WSGI entry for production serving: ``gunicorn 'dashboard.wsgi:server'`` (``make serve``), always in team mode
(accounts, ``dashboard.auth``).

The database path comes from ``$POVERTY_DB`` (default data/poverty.duckdb); it is opened read-only per
request, so a rebuild that renames a new file over it is picked up without a restart. ``POVERTY_PRIVATE=1``:
reading needs an account; ``POVERTY_READ_ONLY=1``: no writes; ``POVERTY_ORIGINS``: origins (space-separated)
accepted besides the server's own, for a proxy; ``POVERTY_PROXY=1``: trust one proxy's X-Forwarded-* headers.
Without an admin account (and writes enabled) it refuses to start, saying how to make one.
"""
from __future__ import annotations

import os
import sys

from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import auth
from dashboard.app import create_app
from etl.storage.accounts import accounts_path

DB = os.environ.get("POVERTY_DB", "data/poverty.duckdb")
READ_ONLY = os.environ.get("POVERTY_READ_ONLY") == "1"

_refusal = auth.startup_refusal("team", READ_ONLY, accounts_path(DB))
if _refusal:
    print(_refusal, file=sys.stderr, flush=True)
    sys.exit(3)

server = create_app(DB, "team", os.environ.get("POVERTY_PRIVATE") == "1", READ_ONLY,
                    tuple(os.environ.get("POVERTY_ORIGINS", "").split())).server
if os.environ.get("POVERTY_PROXY") == "1":
    server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)
