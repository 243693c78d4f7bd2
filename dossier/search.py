"""Full-text search: index the written site with Pagefind (static, no server; French stemming)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import DossierError


def index_site(folder: Path) -> None:
    """Write Pagefind's search index into folder/pagefind/; only pages marked data-pagefind-body count."""
    try:
        run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"],
                             capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DossierError(f"cannot run the search indexer (pagefind): {exc}") from None
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip().splitlines()
        hint = " (is 'pagefind[bin]' from requirements.txt installed?)" if "No module named" in run.stderr else ""
        raise DossierError(f"search indexing failed{hint}: {detail[-1] if detail else run.returncode}")
