"""Memory the build frees, given back to the system."""

from __future__ import annotations

import ctypes


def release_freed_memory() -> None:
    """Give the memory freed so far back to the system, where the C library allows (glibc's malloc_trim).

    Making the index of shared passages frees ~90 MB at 10,000 questions that glibc would otherwise
    keep for later use; the rendering processes would then fork from (and the build peak at) a
    process that much larger."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except Exception:  # not glibc (macOS, musl, Windows): nothing to do
        pass
