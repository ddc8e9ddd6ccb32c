"""python -m dashboard: argparse defaults (127.0.0.1, debug off) and the missing-database message."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from dashboard.__main__ import main, parser


def test_defaults_bind_locally_without_debug():
    args = parser().parse_args([])
    assert (args.host, args.port, args.debug) == ("127.0.0.1", 8050, False)
    assert str(args.db) == "data/poverty.duckdb"


def test_a_missing_database_names_the_path_and_make_build(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "nope.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "nope.duckdb" in err and "make build" in err and "找不到数据库" in err


def test_help():
    out = subprocess.run([sys.executable, "-m", "dashboard", "--help"], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 0 and "--db" in out.stdout and "--host" in out.stdout
