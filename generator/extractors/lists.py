"""Lists: a parent with child items, `Pros: a, b, c`, `includes A, B and C` -> one list card."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cards import LIST, LIST_SEPARATOR, Card
from ..headings import heading_label
from ..language import (
    AUX,
    Casing,
    bare,
    clean_phrase,
    drop_open_questions,
    drop_trailing_parenthetical,
    is_explicit_syntax,
    is_opinion,
    looks_plural,
    subject_case,
    topic_of,
    verb_base,
)
from ..lexicon import DETERMINERS, PREPOSITIONS, PRONOUNS
from ..outline import HEADING, ITEM, Document, Node
from .analysis import doc_casing, list_like, step_runs
from .factory import make_card
from .registry import extractor

NAME = "list"
MIN_ITEMS = 2
MAX_ITEMS = 10
MAX_PAREN_HEAD_WORDS = 4
MAX_LABEL_WORDS = 9
MAX_MEDIAN_ITEM_WORDS = 9  # parents longer than this are sentences, not names of a list
# "Pros: a, b" / "Cons - a, b": evaluative labels whose list is about the enclosing topic.
_PROS_CONS = re.compile(r"^(?P<label>pros|cons|advantages|disadvantages|benefits|drawbacks|downsides|"
                        r"upsides|limitations|requirements|goals|features|options)\s*[:\-–]\s*(?P<items>.+)$",
                        re.I)
# "X includes A, B and C" / "X consists of A, B, C".
_INCLUDES = re.compile(r"^(?P<x>.+?)\s+(?P<verb>includes?|inlcudes?|consists? of|contains?|comprises?)\s+"
                       r"(?P<items>.+)$", re.I)
# "3 throttling strategies (block, fixed delay, and backoff)" / "packages (a, b, c)".
_PAREN_LIST = re.compile(r"(?P<head>[\w][\w\s/-]{2,60}?)\s*\((?P<items>[^()]+,[^()]+)\)")
# "Term: a, b, c" with a short term.
_COLON_LIST = re.compile(r"^(?P<x>[^:,]{2,50}):\s*(?P<items>[^:]+,[^:]+)$")


def split_items(text: str) -> list[str]:
    """`a, b, and c` -> [a, b, c]; empty or question-mark items are dropped."""
    parts = re.split(r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+(?=[^,]*$)", text.strip())
    return [clean_phrase(p) for p in parts if clean_phrase(p) and not clean_phrase(p).startswith("?")]


def _is_label(text: str) -> bool:
    """A name for a list (`Benefits of unit tests`) rather than a statement (`X provides the Y`)."""
    ws = text.split()
    if not 0 < len(ws) <= MAX_LABEL_WORDS:
        return False
    for i, w in enumerate(ws):
        nxt = bare(ws[i + 1]) if i + 1 < len(ws) else ""
        if bare(w) in AUX:
            return False
        if i > 0 and bare(w).endswith("s") and verb_base(w) and nxt in DETERMINERS | PRONOUNS:
            return False  # "... provides the ...": a verb with its object
    return True


# "The three domains of life are:", "Symptoms include": a lead-in naming what the items are.
_LEADS_IN = re.compile(r"^(?P<np>(?:[Tt]he|[Tt]hese|[Ii]ts|[Tt]heir|\d+|[A-Z][\w-]*)\b[^:;,.!?]{0,60}?)\s+"
                       r"(?P<verb>are|include|includes)$")


def list_question(parent: str, ordered: bool, casing: Casing | None = None) -> str:
    """A grammatical question asking for the children of `parent`."""
    label = clean_phrase(drop_trailing_parenthetical(drop_open_questions(topic_of(parent))))
    if label.endswith("?"):
        return label
    if label.lower().startswith("how to "):
        verb_phrase = label[len("how to "):]
        return f"What are the steps to {verb_phrase}{', in order' if ordered else ''}?"
    lead = _LEADS_IN.match(label)
    if lead:  # "The three domains of life are:" -> "What are the three domains of life?"
        np = lead.group("np")
        np = np[0].lower() + np[1:] if bare(np.split()[0]) in DETERMINERS else np
        verb = lead.group("verb")
        return f"What are {np}?" if verb == "are" else \
            f"What {'does' if verb == 'includes' else 'do'} {np} include?"
    if not _is_label(label):
        return f'What are the points under "{label}"?'
    plural = looks_plural(label)
    phrase = subject_case(label, casing, plural)
    first = phrase.split()[0]
    single_name = len(phrase.split()) == 1 and first[:1].isupper()  # "Django", not "the Django"
    article = "" if single_name or bare(first) in DETERMINERS or first[:1].isdigit() else "the "
    if ordered:
        if plural:
            return f"What are {article}{phrase}, in order?"
        if first.endswith("ing"):  # "brewing green tea": the steps of brewing green tea
            article = ""
        return f"What are the steps of {article}{phrase}, in order?"
    return f"What are {article}{phrase}?" if plural else f"What does {article}{phrase} include?"


def _children(node: Node) -> list[Node]:
    """The entries of `node`'s list: its items, but not the cards written under it (`Nucleus ::
    holds DNA` under "Cell parts" is a card of its own, not an entry to recite)."""
    return [c for c in node.children if c.kind == ITEM and c.text.strip() and not is_explicit_syntax(c.text)]


def _subject_for(node: Node) -> str:
    """What an evaluative label like `Pros` is about: the parent item, else the heading topic."""
    if node.parents:
        return clean_phrase(drop_trailing_parenthetical(topic_of(node.parents[-1])))
    if not node.context:
        return ""
    return clean_phrase(drop_trailing_parenthetical(topic_of(heading_label(node.context[-1]))))


_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NAMED_PLURAL = re.compile(r"^What (?P<are>are|were) the (?P<kind>(?:main |major |different )?"
                           r"(?:types|kinds|classes|categories|forms|parts|components|stages|phases|steps|layers|"
                           r"levels|branches) of )")


def _counted(question: str, n: int) -> str:
    """"What are the types of rock?" with three entries -> "What are the three types of rock?":
    the count tells the student when the answer is complete."""
    m = _NAMED_PLURAL.match(question)
    if m is None or not 2 <= n <= len(_NUMBER_WORDS) + 1:
        return question
    kind = re.sub(r"^(?:main |major |different )", "", m.group("kind"))
    return f"What {m.group('are')} the {_NUMBER_WORDS[n - 2]} {kind}{question[m.end():]}"


def _child_list_card(doc: Document, node: Node, casing: Casing) -> Card | None:
    items = _children(node)
    kept = [c for c in items if not is_opinion(c.text)]
    if not kept or len(items) > MAX_ITEMS:
        return None
    if not list_like(node) and len(items) > 1 and not node.text.rstrip().endswith("?"):
        return None  # the children are facts of their own, not items of one list
    if len(kept) < MIN_ITEMS:
        return None  # one child is an elaboration, not a list
    answers = tuple(clean_phrase(c.text) for c in kept)
    ordered = all(c.ordered for c in items)
    label = heading_label(node.text) if node.kind == HEADING else node.text
    question = _counted(list_question(label, ordered, casing), len(kept))
    score = 0.7 if node.kind == HEADING or ordered or (question.endswith("?") and node.text.endswith("?")) \
        else 0.6
    end = max(c.end_line for c in kept)
    if len(answers) == 1:
        return make_card(doc, node, question, answers[0], extractor=NAME, score=score - 0.1, end_line=end)
    return make_card(doc, node, question, LIST_SEPARATOR.join(answers), extractor=NAME, score=score,
                     type=LIST, end_line=end, items=answers)


def _inline_list_card(doc: Document, node: Node, casing: Casing) -> Card | None:
    text = drop_open_questions(node.text)
    m = _PROS_CONS.match(text)
    if m:
        items = split_items(m.group("items"))
        subject = _subject_for(node)
        if items:
            about = f" of {subject}" if subject else ""
            question = f"What are the {m.group('label').lower()}{about}?"
            return make_card(doc, node, question, LIST_SEPARATOR.join(items), extractor=NAME, score=0.6,
                             type=LIST if len(items) > 1 else "basic", items=tuple(items))
    for pattern, build in ((_INCLUDES, "include"), (_COLON_LIST, "colon"), (_PAREN_LIST, "paren")):
        if build == "paren" and "(" not in text:
            continue  # a cheap test first: searching every start of the line was slow
        m = pattern.search(text) if build == "paren" else pattern.match(text)
        if not m:
            continue
        items = split_items(first_part(m.group("items")))
        if len(items) < MIN_ITEMS or any(len(i.split()) > 6 for i in items):
            continue
        head = clean_phrase(m.group("x") if build != "paren" else m.group("head"))
        head_words = head.split()
        if build == "paren":
            # the noun phrase right before the parentheses: "Using go packages" -> "go packages"
            while head_words and (verb_base(head_words[0]) or bare(head_words[0]) in PREPOSITIONS):
                head_words = head_words[1:]
            head = " ".join(head_words)
            if not head or not _is_label(head) or len(head_words) > MAX_PAREN_HEAD_WORDS:
                continue  # "Fast tests lower the bar (CI/CD, ...)": an aside, not a named list
            question = list_question(head, False, casing)
        else:
            if not _is_label(head):
                continue
            question = (f"What does {subject_case(head, casing)} include?" if build == "include"
                        else list_question(head, False, casing))
        return make_card(doc, node, question, LIST_SEPARATOR.join(items), extractor=NAME, score=0.6,
                         type=LIST, items=tuple(items))
    return None


def first_part(text: str) -> str:
    """Items end where the sentence goes on (`a, b, c - more text` -> `a, b, c`)."""
    return re.split(r"\s+[-–—]\s+|\.\s+|;\s*", text, maxsplit=1)[0]


def _steps_cards(doc: Document, parent: Node) -> Iterator[Card]:
    """Consecutive instructions under one parent -> "What are the steps for <topic>?" in order."""
    topic = clean_phrase(drop_trailing_parenthetical(topic_of(parent.text))) if parent.text else ""
    if not topic:
        return
    if topic[:1].isupper() and topic.split()[0].endswith("ing"):
        topic = topic[0].lower() + topic[1:]  # "Building a firewall" -> "the steps for building a firewall"
    for run in step_runs(parent):
        items = tuple(clean_phrase(n.text) for n in run)
        question = f"What are the steps for {topic}, in order?"
        yield make_card(doc, run[0], question, LIST_SEPARATOR.join(items), extractor=NAME, score=0.65,
                        type=LIST, end_line=run[-1].end_line, items=items)


@extractor(NAME)
def lists(doc: Document) -> Iterator[Card]:
    """Lists: a parent with child items, `Pros: a, b`, `includes A, B and C` -> one list card."""
    casing = doc_casing(doc)
    for parent in [doc.root] + [n for n, _ in doc.walk() if n.children]:
        yield from _steps_cards(doc, parent)
    for node, _ in doc.walk():
        if node.kind not in (ITEM, HEADING) or is_explicit_syntax(node.text) or is_opinion(node.text):
            continue  # (a short label like "Django" is fine: lists are named by fragments)
        card = _child_list_card(doc, node, casing)
        if card is None and node.kind == ITEM:
            card = _inline_list_card(doc, node, casing)
        if card is not None:
            yield card
