"""Calibrated confidence: which cards go into the deck, which wait as suggestions.

Extractors score what they find; blind ratings (see README, "Card quality") showed which of
their cards a student keeps as they are. A card whose pattern raters mostly rewrote or
deleted is capped below `cards.CONFIDENT`, so it becomes a suggestion (kept out of the deck
until accepted) instead of a card to fix. Faithfulness comes first: a card that loses a
negation, a hedge or a condition of its line ("never", "usually", "may", "When X, ...")
states something the notes do not say, so it is no card at all, not even a suggestion.
"""

from __future__ import annotations

import re

from .cards import CLOZE, CONFIDENT, LIST, Card
from .doubts import (
    ASKS_WHAT,
    BARE_LIST,
    COUNTED_BARE_LIST,
    IN_TOPIC,
    PRONOUN,
    WORDS,
    doubtful,
    line_lead,
    plain_statement,
)
from .headings import GENERIC_HEADING
from .lexicon import (
    ADVERBS,
    DETERMINERS,
    PREPOSITIONS,
    VAGUE_SUBJECTS,
)
from .markup import DELETION
from .spelling import known_word

SUGGESTED = round(CONFIDENT - 0.1, 3)
"""The score a card capped to a suggestion keeps (its own, when lower)."""
# Words that change what a sentence claims: a card must keep each one its line has.
_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|neither|cannot|without|\w+n['’]t|dont|doesnt|didnt|"
                       r"isnt|arent|wasnt|werent|cant|wont|shouldnt|couldnt|wouldnt|hasnt|havent)\b", re.I)
_HEDGE = re.compile(r"\b(?:usually|often|sometimes|rarely|seldom|generally|typically|mostly|mainly|"
                    r"may|might|can|could|should|likely|probably|possibly|almost|nearly|partly|"
                    r"except|unless|only|until|if)\b", re.I)
# A condition that opens a clause: "When demand is inelastic, a cut in price ...".
_CONDITION = re.compile(r"(?:^[\W\d]*|[,;:(]\s*|\b(?:and|but|or|so)\s+)"
                        r"(?:when|whenever|once|as long as|provided)\b", re.I)


def loses_meaning(card: Card, line: str) -> bool:
    """Whether the card drops a negation or a hedge its source line has."""
    if card.extractor == "acronym":
        return False  # what an acronym stands for holds whatever the line goes on to claim
    shown = f"{card.question} {card.answer} {' '.join(card.items)}"
    for words in (_NEGATION, _HEDGE):
        wanted = {w.lower() for w in words.findall(line)}
        if words is _NEGATION and card.answer.startswith("No:"):
            continue  # "Should you X?" -> "No: ...": the answer says the negation
        if wanted and not wanted <= {w.lower() for w in words.findall(shown)}:
            return True
    return bool(_CONDITION.search(line)) and not _CONDITION.search(shown) \
        and not re.search(r"\b(?:when|whenever|once|as long as|provided)\b", shown, re.I)


# Headings that name no topic of their own: the one above them does.
MAX_TOPIC_WORDS = 6
_LEAD_IN_ENDS = frozenset({"like", "as", "are", "is", "include", "includes", "of", "the", "to", "and", "for",
                           "with", "by", "in", "on", "e.g", "i.e"})


def topic(context: str) -> str | None:
    """The nearest heading of a breadcrumb that names a topic (`Binomial Distribution`), cleaned
    of emphasis, numbering and a trailing colon; None when there is none."""
    for part in reversed(context.split(" > ")):
        name = re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", part)
        name = re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+", "", name)
        name = re.sub(r"\s*\((?:cont'?d|continued)\)|[\s:.-]+$", "", name, flags=re.I).strip()
        if not name or GENERIC_HEADING.match(name) or "…" in name:
            continue
        if name.split()[-1].lower() in _LEAD_IN_ENDS:
            return None  # "Regulate things like": a lead-in, not a topic
        return name if len(name.split()) <= MAX_TOPIC_WORDS and not name.endswith("?") else None
    return None


MAX_BARE_FACT_WORDS = 6
_BARE_PLURAL = re.compile(r"^(?P<first>[A-Z][a-z]+s)\b(?P<rest> (?!of\b)[^,:;]*)$")


def _fact_in_topic(card: Card, where: str) -> Card:
    """A short fact about a bare plural ("Addresses have {{c1::3}} parts") stated within its
    heading's topic ("In Two-Level Paging, addresses have ..."): which addresses, raters ask."""
    m = _BARE_PLURAL.match(DELETION.sub(r"\1", card.question))
    visible = WORDS.findall(DELETION.sub(" ", card.question))
    topic_words = {w.lower() for w in WORDS.findall(where)}
    if card.extractor != "fact" or m is None or len(visible) > MAX_BARE_FACT_WORDS \
            or len(where.split()) < 2 or topic_words & {w.lower() for w in visible} \
            or where.split()[0].lower() in PREPOSITIONS | ADVERBS | DETERMINERS:
        return card
    return _asked_in(card, where)


def qualify(card: Card) -> Card:
    """A definition of a symbol or a short term, asked within its topic ("What is $n$?" under
    "Binomial Distribution" -> "In Binomial Distribution, what is $n$?"): raters found the bare
    question unanswerable and the card otherwise right."""
    where = topic(card.context)
    if where is None or card.question.startswith("In "):
        return card
    if card.type == CLOZE:
        return _fact_in_topic(card, where)
    if card.type == LIST:
        bare = BARE_LIST.match(card.question) or COUNTED_BARE_LIST.match(card.question)
        if bare is None or where.lower() in card.question.lower():
            return card  # "What are the indications?" under "NSAIDs": of what?
        return _asked_in(card, where)
    m = ASKS_WHAT.match(card.question)
    if card.extractor != "definition" or m is None:
        return card
    term = m.group("term")
    if re.search(r"[`*_\[\]]", term.replace("\\_", "")) and "$" not in term:
        return card  # markup cut in two ("`e"): not a symbol to ask about
    short = re.sub(r"\W", "", term)
    # math, or one letter with an index (`p`, `R_i`, `x2`); an acronym (TCP) names itself
    symbol = "$" in term or "\\(" in term or (re.fullmatch(r"[A-Za-z](?:_?\w{1,2})?", short) is not None \
        and term.lower() not in VAGUE_SUBJECTS and not re.fullmatch(r"[A-Z]{2,3}", short))
    if not symbol or (len(short) > 1 and re.search(rf"\b{re.escape(short)}\b", where, re.I)):
        return card  # "TLB" under "TLB: Translation Lookaside Buffer" is asked about already
    return _asked_in(card, where)


def _asked_in(card: Card, where: str) -> Card:
    """The card asked within its topic ("In Two-Level Paging, addresses have ..."); a name that
    opens the sentence keeps its capital ("In Ottoman wars, Nicopolis ...")."""
    if re.search(r"[\"“”()\[\]]", where):
        return card  # "Bayezid I "Yıldırım" (Thunderbolt)": not a topic to put in a sentence
    first = card.question.split()[0] if card.question.split() else ""
    keep = first[1:].islower() and first.isalpha() and not known_word(first.lower()) \
        and first.lower() not in DETERMINERS
    head = card.question[0] if keep else card.question[0].lower()
    question = f"In {where}, {head}{card.question[1:]}"
    return Card(question, card.answer, card.source, card.type, card.context, card.extractor, card.score,
                card.tags, card.deck, card.guid, card.items)


def _in_line_topic(card: Card, line: str) -> Card | None:
    """A definition asked within the topic its line opens with ("In Go, interfaces are
    two-word structs" -> "In Go, what are interfaces?"); None for any other card."""
    asked = ASKS_WHAT.match(card.question)
    if card.extractor != "definition" or asked is None or asked.group("topic"):
        return None
    lead = line_lead(asked.group("term"), line)
    in_topic = IN_TOPIC.match(lead) if lead else None
    return _asked_in(card, in_topic.group("topic")) if in_topic else None


_ASKED_ABOUT = re.compile(r"^(?P<head>(?:What|Why|How|Where|When|Who|Which)\b.*?\b)(?P<pronoun>they|it)"
                          r"(?P<tail>\b[^?]*\?)$")


def _named_pronoun(card: Card) -> Card | None:
    """A question about "they" or "it" asked of the topic its heading names ("Where do they come
    from?" under "Hormones" -> "Where do hormones come from?"); None when the topic does not
    fit the pronoun (a plural for "they", a singular for "it") or there is none."""
    m = _ASKED_ABOUT.match(card.question)
    where = topic(card.context)
    if m is None or where is None or card.type == CLOZE or len(PRONOUN.findall(card.question)) != 1:
        return None
    words = where.split()
    if len(words) > 3 or not all(w.replace("-", "").isalnum() for w in words):
        return None
    named = any(w[1:] != w[1:].lower() for w in words)  # "TCP", "GraphQL": a name needs no article
    plural = words[-1].lower().endswith("s") and not words[-1].lower().endswith(("ss", "us", "is"))
    if (m.group("pronoun") == "they") != (plural and not named) or (m.group("pronoun") == "it" and not named):
        return None  # "it" for a common noun would need an article: left as a suggestion
    name = where if named else where.lower()
    question = f"{m.group('head')}{name}{m.group('tail')}"
    return Card(question, card.answer, card.source, card.type, card.context, card.extractor, card.score,
                card.tags, card.deck, card.guid, card.items)


def _plain_term(card: Card) -> Card:
    """A definition of a term the notes set in bold or italics asks about the term, not its
    markup ("What is **T wave**?" -> "What is T wave?")."""
    asked = ASKS_WHAT.match(card.question)
    if card.extractor != "definition" or asked is None:
        return card
    term = asked.group("term")
    bare = re.fullmatch(r"(\*\*|__|\*|_)(?P<t>[^*_]+)\1", term)
    if bare is None:
        return card
    start, end = asked.span("term")
    question = card.question[:start] + bare.group("t") + card.question[end:]
    return Card(question, card.answer, card.source, card.type, card.context, card.extractor, card.score,
                card.tags, card.deck, card.guid, card.items)


def calibrate(card: Card, line: str) -> Card | None:
    """The card, asked within its topic when it needs one (`qualify`), with its score capped
    below `CONFIDENT` when it is doubtful (a suggestion); None when it drops a negation, a
    hedge or a condition of its line: a card that says what the notes do not is worse than
    none, even as a suggestion."""
    if card.extractor in ("explicit", "cloze"):
        return card
    if loses_meaning(card, line):
        return None
    card = _plain_term(card)
    card = _in_line_topic(card, line) or _named_pronoun(card) or qualify(card)
    if card.score < CONFIDENT and plain_statement(card, line):  # calibrated by a blind rating
        card = Card(card.question, card.answer, card.source, card.type, card.context, card.extractor,
                    CONFIDENT, card.tags, card.deck, card.guid, card.items)
    if card.score < CONFIDENT or not doubtful(card, line):
        return card
    return Card(card.question, card.answer, card.source, card.type, card.context, card.extractor,
                min(card.score, SUGGESTED), card.tags, card.deck, card.guid, card.items)
