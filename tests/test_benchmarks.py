"""Both benchmark scripts still run (at a tiny size) and print their figures, so neither rots unnoticed.

Speed itself is not asserted here: the figures are read by people (README), never by a timed test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_dashboard_benchmark_builds_through_the_loader_and_times_every_interaction():
    out = run("bench_dashboard.py", "--facts", "2000", "--repeat", "1")
    assert "with 2,000 facts" in out
    for interaction in ("first load", "province change", "year change", "indicator change", "overview of a theme",
                        "facts table"):
        assert re.search(rf"^{interaction}.*(\s+\d+\.\d){{5}}\s+(ok|SLOW)$", out, re.M), out
    assert re.search(r"^slowest: \d+\.\d ms", out, re.M), out


def test_etl_benchmark_runs_a_small_corpus_and_prints_its_figures():
    out = run("bench_etl.py", "--sizes", "20", "--no-stress")
    row = re.search(r"^\s+20\s+\d+\.\d \|\s+\d+\.\d\d\s+\d+ \|\s+\d+\.\d\d\s+\d+\s+\d+\.\d\d\s+\d+\s+\d+\.\d \|"
                    r"\s+\d+\.\d\d\s+\d+\.\d%\s+\d+\s+\((\d+) facts\)$", out, re.M)
    assert row, out
    assert int(row.group(1)) > 0
