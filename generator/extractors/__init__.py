"""Extractors: small, independent functions `Document -> Iterable[Card]`, registered by name.

The package is in three layers, each importing only the ones before it: `registry` (the
`@extractor` registry), `analysis` (what several extractors read of a document, worked out once)
and `factory` (`make_card`), then one module per extractor. Importing the package registers the
built-in extractors in a fixed order, which is the order they run in (cards come out in it).
"""

from __future__ import annotations

# The built-in extractors: imported in this (alphabetical) order, they register and run in it.
from . import (  # noqa: F401
    acronyms,
    attribution,
    cloze,
    comparisons,
    definitions,
    emphasis,
    explicit,
    facts,
    lists,
    questions,
    speakers,
    statements,
)
from .analysis import (
    Statement,
    answered_lines,
    doc_casing,
    each_statement,
    fact_statements,
    list_like,
    own_sentence,
    step_runs,
    subclauses,
)
from .factory import card_context, make_card
from .registry import REGISTRY, Extractor, ExtractorRegistry, extractor

Registry = ExtractorRegistry
"""The extractor registry's class, by the name `pipeline` and older code import."""

__all__ = [
    "REGISTRY", "Extractor", "ExtractorRegistry", "Registry", "Statement", "answered_lines",
    "card_context", "doc_casing", "each_statement", "extractor", "fact_statements", "list_like",
    "make_card", "own_sentence", "step_runs", "subclauses",
]
