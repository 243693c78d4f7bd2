"""Is the site already built from these very inputs? Answered without loading the build's machinery,
so that a build with nothing to do returns at once (see cli._build)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from .errors import BuildFailed, DossierError

PACKAGE = Path(__file__).parent


def build_options(base_url: str | None, strict: bool, as_of: dt.date, search: bool) -> tuple:
    """The options that change the output (not --jobs nor the cache, which never do)."""
    return (base_url, strict, as_of.isoformat(), search)


def state_file(out_dir: Path) -> Path:
    """Where the fingerprint of the last successful build into out_dir is kept."""
    return out_dir.with_name(f".{out_dir.name}.state")


def is_up_to_date(out_dir: Path, fingerprint: str) -> bool:
    state = state_file(out_dir)
    return out_dir.is_dir() and state.is_file() and state.read_text(encoding="utf-8") == fingerprint


def input_fingerprint(config_path: Path, options: tuple) -> str:
    """Sum up everything a build reads: the bytes of every file under content/ (but the sources, which
    the build never reads), templates/ and the package's own code, the config, and the options.
    Contents, not times: an edit can never go unnoticed, however fast it follows the last build."""
    root = config_path.parent
    digest = hashlib.sha256(repr(options).encode("utf-8"))
    sources = root / "content" / "sources"
    folders = [root / "content", root / "templates", PACKAGE]
    for path in [config_path] + [p for f in folders for p in sorted(f.rglob("*"))]:
        if path.is_file() and not path.is_relative_to(sources) and "__pycache__" not in path.parts:
            digest.update(f"{path}\0".encode("utf-8"))
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError):
            raise BuildFailed([DossierError(f"SOURCE_DATE_EPOCH must be a number of seconds: '{epoch}'")]) from None
    return dt.date.today()
