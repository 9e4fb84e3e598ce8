"""Which files in a notes folder are notes, by suffix: the built-in readers' suffixes, known
without importing the readers (an up-to-date build lists a folder's notes and parses none)."""

from __future__ import annotations

SNIFFED_SUFFIXES = (".txt", ".text", ".outline")
"""Suffixes of notes files whose content tells their format (text, Markdown or Org)."""
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
"""Suffixes always read as Markdown."""
ORG_SUFFIXES = (".org",)
"""Suffixes always read as Org."""
BUILT_IN_SUFFIXES = frozenset((*SNIFFED_SUFFIXES, *MARKDOWN_SUFFIXES, *ORG_SUFFIXES))
"""Every suffix a built-in reader takes (a plugin's reader may add others, never these)."""
