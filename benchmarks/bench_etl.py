"""ETL benchmark (a script that prints figures, not a test).

Builds synthetic corpora from the bundled reports — figures, provinces and years varied — and
prints, for each size: a full run, a re-run with nothing changed, and a bare pass that only reads
the files and finds the numbers in them, with reports/s, MB/s and the peak memory of the whole
process tree (the run's worker processes included).

    python benchmarks/bench_etl.py                 # 1,000 and 10,000 reports
    python benchmarks/bench_etl.py --sizes 2000    # other sizes
    python benchmarks/bench_etl.py --source OLD/data/reports --code OLD   # another checkout on the same corpus
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.figures import NUM  # noqa: E402
from etl.read import UnreadableReport, read_report  # noqa: E402

PROVINCES = ["Hà Nội", "Hải Phòng", "Quảng Ninh", "Hải Dương", "Bắc Ninh", "Thái Nguyên", "Nam Định", "Đà Nẵng",
             "Cần Thơ", "Thanh Hóa", "Nghệ An", "Lào Cai"]
OWN = ("Hà Nội", "Hải Phòng", "Quảng Ninh")


def make_corpus(dst: Path, n: int, seed: int = 7, source: Path = ROOT / "data" / "reports") -> float:
    """n reports made from the bundled ones (or those of `source`); returns their size in MB."""
    rng = random.Random(seed)
    sources = sorted(source.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    dst.mkdir(parents=True, exist_ok=True)
    total = 0
    lines = ["file,title,published,province,place,source"]
    for i in range(n):
        text = texts[i % len(texts)]
        province = rng.choice(PROVINCES)
        for own in OWN:
            text = text.replace(own, province)
        shift = rng.randint(-4, 3)
        text = re.sub(r"\b(20[12]\d)\b", lambda m, shift=shift: str(int(m.group(1)) + shift), text)
        text = re.sub(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+|\d{2,3})(?=\s*(?:hồ sơ|TTHC|dịch vụ|thủ tục))",
                      lambda m: f"{rng.randint(10, 400_000):,}".replace(",", "."), text)
        text = re.sub(r"(\d{2}),(\d)%", lambda m: f"{rng.randint(50, 99)},{rng.randint(0, 9)}%", text)
        data = text.encode("utf-8")
        total += len(data)
        (dst / f"r{i:05d}.txt").write_bytes(data)
        lines.append(f"r{i:05d}.txt,,,{province if i % 3 == 0 else ''},,synthetic")
    (dst / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total / 1e6


def bare_pass(folder: Path) -> tuple[float, int]:
    """Read every file as the ETL does and find the numbers in it; nothing else."""
    number = re.compile(NUM)
    start, found = time.perf_counter(), 0
    for path in sorted(folder.glob("*.txt")):
        try:
            found += sum(1 for _ in number.finditer(read_report(path).text))
        except UnreadableReport:
            pass
    return time.perf_counter() - start, found


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def timed_run(folder: Path, db: Path, code: Path = ROOT) -> tuple[float, float, str]:
    """One `python -m etl run` as a user runs it (the ETL of `code`, a checkout of this project); returns
    (seconds, peak MB of the process tree, summary)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "etl", "run", str(folder), "--db", str(db), "--no-progress"],
                            cwd=code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 3):      # 3: the run loaded, but skipped some report (named in its summary)
        raise SystemExit(f"etl run failed:\n{err}")
    return seconds, peak, out


# Paragraphs that repeat one phrase thousands of times (a flattened table, a page dumped as one line): the
# extraction of one report must grow with its length, not with its square.
STRESS_PHRASES = ["tiếp nhận 5 hồ sơ, ", "Đạt 5%. ", "hồ sơ đạt 5%. ", "hồ sơ trực tuyến đạt 5%, ", "30-50% ",
                  "năm 2020 (đạt 5%), ", "tỷ lệ (hồ sơ) trực tuyến đạt 5% năm 2020 tại Hà Nội; "]


def stress(repeats: tuple[int, ...] = (1000, 4000)) -> None:
    from etl.extract import extract
    from etl.normalize import normalize_text
    from etl.records import Document

    print(f"\nOne paragraph repeating a phrase (CPU s to extract; linear growth is ×{repeats[-1] // repeats[0]}):")
    for phrase in STRESS_PHRASES:
        cells = []
        for n in repeats:
            text = normalize_text("Báo cáo\n" + phrase * n)
            doc = Document(doc_hash="x", file="stress.txt", text=text, format="txt", encoding="utf-8",
                           title="Báo cáo", published=None, province="Hà Nội", place=None, source=None, year=2024)
            start = time.process_time()
            extract(doc)
            cells.append(time.process_time() - start)
        print(f"  {phrase!r:<58} " + "  ".join(f"{n}×: {t:5.2f} s" for n, t in zip(repeats, cells, strict=True))
              + f"   (×{cells[-1] / max(cells[0], 1e-3):.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="build corpora here and keep them")
    parser.add_argument("--source", type=Path, default=ROOT / "data" / "reports",
                        help="reports the synthetic corpus is made from (default: the bundled ones)")
    parser.add_argument("--no-stress", action="store_true", help="skip the long-paragraph timings")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="checkout whose ETL is timed (default: this one), to compare versions on one corpus")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    print(f"ETL benchmark — {sys.platform}, {__import__('os').cpu_count()} cores; corpora under {base}")
    header = (f"{'reports':>8} {'MB':>6} | {'bare pass s':>11} {'rep/s':>7} | {'full run s':>10} {'rep/s':>7} "
              f"{'MB/s':>6} {'peak MB':>8} {'×bare':>6} | {'re-run s':>8} {'% full':>7} {'peak MB':>8}")
    rows = []
    try:
        for n in args.sizes:
            folder = base / f"corpus-{n}"
            mb = make_corpus(folder, n, source=args.source)
            db = base / f"bench-{n}.duckdb"
            db.unlink(missing_ok=True)
            bare_s, _ = bare_pass(folder)
            full_s, full_peak, summary = timed_run(folder, db, args.code)
            rerun_s, rerun_peak, _ = timed_run(folder, db, args.code)
            facts = re.search(r"Facts: (\d+)", summary).group(1)
            rows.append(f"{n:>8} {mb:>6.1f} | {bare_s:>11.2f} {n / bare_s:>7.0f} | {full_s:>10.2f} {n / full_s:>7.0f} "
                        f"{mb / full_s:>6.2f} {full_peak:>8.0f} {full_s / bare_s:>6.1f} | {rerun_s:>8.2f} "
                        f"{100 * rerun_s / full_s:>6.1f}% {rerun_peak:>8.0f}   ({facts} facts)")
            print(rows[-1] if len(rows) > 1 else header + "\n" + rows[-1], flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    if not args.no_stress:
        stress()
    print("\nAims (2-core machine): full run ≥ 1,000 reports/s and ≤ 3× the bare pass; re-run < 5% of a full run;"
          " peak < 1 GB at 10,000 reports. Times are wall clock of `python -m etl run` (start-up included).")


if __name__ == "__main__":
    main()
