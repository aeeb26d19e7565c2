"""Results at scale: every run stored in an embedded DuckDB file, outcomes exported to Parquet."""

from goldendome.study.store import DEFAULT_PATH, Store

__all__ = ["DEFAULT_PATH", "Store"]
