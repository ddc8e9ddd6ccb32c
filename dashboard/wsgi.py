"""WSGI entry for production serving: ``gunicorn 'dashboard.wsgi:server'`` (``make serve``).

The database path comes from ``$POVERTY_DB`` (default data/poverty.duckdb); it is opened read-only per
request, so a rebuild that renames a new file over it is picked up without a restart.
"""
from __future__ import annotations

import os

from dashboard.app import create_app

server = create_app(os.environ.get("POVERTY_DB", "data/poverty.duckdb")).server
