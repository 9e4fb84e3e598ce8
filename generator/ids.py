"""Stable identifiers: every ID notedeck writes comes from here, derived from names and text.

Never `random` or `hash()` (salted per process): the same input must give the same ID on
every machine and every run, or Anki loses review history and duplicates notes.
"""

from __future__ import annotations

import hashlib
import re

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Two base-62 digits at a time: entry `r` is digit `r % 62`, then digit `r // 62`.
_PAIRS = tuple(low + high for high in _ALPHABET for low in _ALPHABET)


def _digest(namespace: str, parts: tuple[str, ...]) -> bytes:
    """SHA-256 over the namespace and parts, unambiguously separated."""
    h = hashlib.sha256(namespace.encode("utf-8"))
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.digest()


def stable_id(namespace: str, *parts: str, length: int = 12) -> str:
    """A short base-62 text ID for (namespace, parts), least significant digit first: the
    digest's last `length` base-62 digits; used for card GUIDs (one per card: the digits are
    taken two at a time from the digest cut to them, not one at a time from all 256 bits)."""
    n = int.from_bytes(_digest(namespace, parts), "big") % len(_ALPHABET) ** length
    out = []
    for _ in range(length // 2):
        n, r = divmod(n, len(_PAIRS))
        out.append(_PAIRS[r])
    if length % 2:
        out.append(_ALPHABET[n % len(_ALPHABET)])
    return "".join(out)


def stable_int_id(namespace: str, *parts: str) -> int:
    """A positive integer ID in [2**30, 2**31) for Anki deck and note type IDs."""
    n = int.from_bytes(_digest(namespace, parts)[:8], "big")
    return (1 << 30) + n % (1 << 30)


def slug(name: str) -> str:
    """A file-name-safe form of a deck name: `GopherCon 2024 Notes` -> `gophercon-2024-notes`."""
    s = re.sub(r"[^\w]+", "-", name.lower(), flags=re.UNICODE).strip("-_")
    return s or "deck"
