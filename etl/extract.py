"""Extract stage: a settled Document in, facts and data-quality flags out (etl/extraction/ does the work).

python -m etl.extract FILE [MANIFEST] prints the facts of one report as JSON lines."""

from __future__ import annotations

from etl.extraction.facts import extract
from etl.extraction.quality import quality_flags
from etl.places import Gazetteer

__all__ = ["extract", "quality_flags"]


if __name__ == "__main__":      # python -m etl.extract FILE [MANIFEST]: the facts of one report, as JSON lines
    import json
    import sys
    from pathlib import Path

    from etl.metadata import read_manifest, settle
    from etl.read import read_report

    path = Path(sys.argv[1])
    manifest = read_manifest(Path(sys.argv[2]) if len(sys.argv) > 2 else path.parent / "manifest.csv")
    document = settle(read_report(path), manifest.get(path.name), Gazetteer.load())
    found, flags = extract(document)
    for fact in found:
        print(json.dumps(fact.export(), ensure_ascii=False))
    for flag in flags:
        print(f"# quality flag {flag.flag}: {flag.message}", file=sys.stderr)
