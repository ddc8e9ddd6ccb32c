"""A bounded load test against the dashboard served by gunicorn on 127.0.0.1, with one rebuild swap.

``python -m dashboard.loadtest [--clients 20] [--seconds 60] [--workers 4]`` copies the bundled database
to a temporary folder, starts ``gunicorn dashboard.wsgi:server`` on a free loopback port, runs the clients
for the given time against a mix of pages, callbacks' data and exports, rebuilds the database into the
same path half-way (an atomic rename), and prints requests/s, latency percentiles and errors. Traffic
goes to 127.0.0.1 only, and every loop stops at the deadline.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
PATHS = [
    "/",
    "/compare?indicator=poor_population&regions=" + "4101,32" + "&from=2013&to=2022",  # 郑州市, 江苏省
    "/export.csv?indicator=poor_population&regions=" + "4101,32" + "&from=2013&to=2022",  # 郑州市, 江苏省
    "/export.csv?indicator=lifted_households&regions=" + quote("郑州市") + "&from=2013&to=2022",  # by name
    "/_dash-layout",
    "/_dash-dependencies",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start within {timeout} s")


def client(base: str, deadline: float, offset: int, out: list, lock: threading.Lock) -> None:
    i = offset
    while time.monotonic() < deadline:
        path = PATHS[i % len(PATHS)]
        i += 1
        t0 = time.perf_counter()
        error = ""
        try:
            with urllib.request.urlopen(base + path, timeout=30) as r:
                r.read()
        except urllib.error.HTTPError as e:
            error = f"HTTP {e.code}: {e.read()[:200].decode('utf-8', 'replace')}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
            error = str(e)
        with lock:
            out.append((time.perf_counter() - t0, not error, f"{path} {error}"))


def run(clients: int, seconds: float, workers: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="loadtest-"))
    db = tmp / "poverty.duckdb"
    env = {**os.environ, "POVERTY_DB": str(db), "POVERTY_READ_ONLY": "1"}  # reads only: no admin needed
    subprocess.run([sys.executable, "-m", "etl", "build", "--docs", str(ROOT / "seeds"), "--db", str(db)],
                   check=True, capture_output=True, cwd=ROOT)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
                               "--threads", "4", "--bind", f"127.0.0.1:{port}", "dashboard.wsgi:server"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: list = []
    try:
        wait_until_up(base + "/_dash-layout")
        lock = threading.Lock()
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=client, args=(base, deadline, k, results, lock)) for k in range(clients)]
        for t in threads:
            t.start()
        time.sleep(seconds / 2)
        t0 = time.perf_counter()
        swap = subprocess.run([sys.executable, "-m", "etl", "build", "--docs", str(ROOT / "seeds"), "--db",
                               str(db)], capture_output=True, cwd=ROOT, env=env)
        swap_s = time.perf_counter() - t0
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    latencies = sorted(r[0] for r in results)
    return {"requests": len(results), "errors": sum(not r[1] for r in results), "seconds": seconds,
            "rps": len(results) / seconds, "p50": statistics.median(latencies),
            "p95": latencies[int(0.95 * (len(latencies) - 1))], "swap_ok": swap.returncode == 0,
            "swap_s": swap_s, "failures": sorted({r[2] for r in results if not r[1]})}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard.loadtest", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--workers", type=int, default=4)
    a = p.parse_args(argv)
    r = run(a.clients, a.seconds, a.workers)
    print(f"load test: {a.clients} clients, {a.seconds:.0f} s, gunicorn {a.workers} workers x 4 threads on "
          f"127.0.0.1 ({os.cpu_count()} cores): {r['requests']} requests, {r['rps']:.1f} requests/s, "
          f"p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms, errors {r['errors']}; "
          f"rebuild swap during the run: {'ok' if r['swap_ok'] else 'FAILED'} ({r['swap_s']:.1f} s)")
    for failure in r["failures"][:10]:
        print("  failed:", failure)
    return 0 if r["errors"] == 0 and r["swap_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
