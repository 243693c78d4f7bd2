"""Decode saved source files: the declared charset first, then UTF-8, then Windows-1252 (legacy AN pages)."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import DossierError

log = logging.getLogger(__name__)


def decode(data: bytes, path: Path) -> str:
    """The text of a saved source: its declared charset, else UTF-8, else Windows-1252; refuse empty and binary files."""
    if not data.strip():
        raise DossierError("empty file", path)
    if b"\0" in data[:4096]:
        raise DossierError("binary file, not a saved page", path)
    declared = _declared_charset(data[:4096])
    if declared:
        try:
            return data.decode(declared).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            log.info("%s: declared charset %s does not fit the bytes; detecting", path, declared)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # legacy AN pages: Windows-1252, a superset of ISO-8859-1 as browsers read it
        return data.decode("cp1252", errors="replace")


_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(head: bytes) -> str | None:
    """The charset a page or XML file declares in its first bytes, with the aliases browsers apply."""
    m = _CHARSET.search(head)
    if not m:
        return None
    name = m[1].decode("ascii").lower()
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "windows-1252") else name


def xml_root(path, text: str, tag: str):
    """Parse decoded XML (its declaration dropped: the text is already decoded) and check its root element."""
    try:
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    except ET.ParseError as exc:
        raise DossierError(f"invalid XML: {exc}", path, exc.position[0]) from None
    if root.tag != tag:
        raise DossierError(f"the root element is <{root.tag}>, not <{tag}>", path)
    return root
