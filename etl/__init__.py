"""Reports about administrative reform in, DuckDB facts out.

Stages, each a module that runs and tests alone:
read (file -> Report) -> extract (Report -> facts) -> load (facts -> DuckDB).
"""

EXTRACTOR_VERSION = "1"
