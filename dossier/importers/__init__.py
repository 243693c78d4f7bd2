"""The explicit registry of importers: each recognises its source by content and parses it.

An importer is a module with `KIND`, `LOOKS_FOR` (what detection needs, for error messages),
`detect(text) -> bool` and a pure `parse(path, text) -> list[Question | Deputy]`, where `path` is
the source file relative to the content folder. Facts a source does not give are left None.
"""

from __future__ import annotations

from types import ModuleType

from . import (an_dyn, an_legacy, an_markdown, an_opendata, an_text, an_xml, nosdeputes_api, nosdeputes_deputes,
               nosdeputes_html, nosdeputes_text)

# Order matters where formats overlap: the most specific detection comes first.
IMPORTERS: tuple[ModuleType, ...] = (an_markdown, an_dyn, an_legacy, nosdeputes_html, nosdeputes_text, an_text, an_xml,
                                     an_opendata, nosdeputes_api, nosdeputes_deputes)


def find_importer(text: str) -> ModuleType | None:
    """Return the importer that recognises this source text, if any."""
    for importer in IMPORTERS:
        if importer.detect(text):
            return importer
    return None


def describe_known() -> str:
    """List what each importer looks for, for 'not a recognised source' messages."""
    return "; ".join(f"{imp.KIND} ({imp.LOOKS_FOR})" for imp in IMPORTERS)
