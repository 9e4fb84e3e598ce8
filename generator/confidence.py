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
from .lexicon import (
    ADVERBS,
    BE,
    DETERMINERS,
    HAVE,
    IRREGULAR_PAST,
    MODALS,
    OPINION_WORDS,
    PREPOSITIONS,
    VAGUE_SUBJECTS,
    VERBS,
)
from .markup import DELETION

SUGGESTED = round(CONFIDENT - 0.1, 3)
"""The score a card capped to a suggestion keeps (its own, when lower)."""

# Extractors whose cards raters kept less than one time in ten: always suggestions. A
# statement cuts a sentence at its verb ("What do we close?"); a comparison or cause splits
# one at "because", "until" or "than", which often garbles it.
UNCONFIDENT_EXTRACTORS = frozenset({"statement", "comparison"})
# Words that change what a sentence claims: a card must keep each one its line has.
_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|neither|cannot|without|\w+n['’]t|dont|doesnt|didnt|"
                       r"isnt|arent|wasnt|werent|cant|wont|shouldnt|couldnt|wouldnt|hasnt|havent)\b", re.I)
_HEDGE = re.compile(r"\b(?:usually|often|sometimes|rarely|seldom|generally|typically|mostly|mainly|"
                    r"may|might|can|could|should|likely|probably|possibly|almost|nearly|partly|"
                    r"except|unless|only|until|if)\b", re.I)
# A condition that opens a clause: "When demand is inelastic, a cut in price ...".
_CONDITION = re.compile(r"(?:^[\W\d]*|[,;:(]\s*|\b(?:and|but|or|so)\s+)"
                        r"(?:when|whenever|once|as long as|provided)\b", re.I)
# A remark about the course, not the subject: "Prof said this is 20% of the midterm".
_COURSE = re.compile(r"\b(?:prof|professor|lecturer|teacher|instructor|TA|midterm|final exam|the exam|"
                     r"homework|assignment|problem set|syllabus|office hours|(?:on|in) the test)\b", re.I)
_PRONOUN = re.compile(r"\b(?:they|them|it|its|this|these|those|he|she|we|you)\b(?!\s+(?:stand|mean))", re.I)
_ASKS_WHAT = re.compile(r"^(?:In (?P<topic>[^,]+), w|W)hat (?:is|are|was|were) (?P<term>.+?)\??$")
_MARKUP = re.compile(r"\*\*|__|`|^_|_$|^\*|\*$|\[|\]")
_MODAL_START = re.compile(r"^(?:may|might|can|could|should|will|would|must|is|are|was|were|has|have|"
                          r"had|does|do|did|to|in|at|on|of|for|by|with|and|or|but|if|when|while)\b", re.I)
_VAGUE_LIST = re.compile(r"^What (?:does|do) (?:the )?.+ include\?$|points under")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]+")
MAX_DEFINITION_WORDS = 14
"""A definition's answer longer than this runs on into a second thought (raters split it)."""
MAX_LIST_ITEMS = 8
MAX_LIST_SUBJECT_WORDS = 8
"""A list question naming more words than this asks about a clause, not a thing."""
_NAMED_LIST = re.compile(r"^What (?:are|were) (?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
                         r"\b|\b(?:pros|cons|advantages|disadvantages|benefits|drawbacks|steps|phases|stages|types|"
                         r"kinds|causes|effects|symptoms|parts|components) (?:of|to|in)\b", re.I)
_BARE_LIST = re.compile(r"^What (?:are|were) (?:the )?[A-Za-z][\w-]*\??$")
"""A list question naming one bare noun ("What are the considerations?"): of what?"""
_COUNTED_BARE_LIST = re.compile(r"^What (?:are|were) the "
                                r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten) [A-Za-z][\w-]*\??$")
"""A counted list of one bare noun ("What are the two parts?"): asked within its topic."""
_NUMBER_WORDS = {str(n): w for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORDS_BACK = {w: n for n, w in _NUMBER_WORDS.items()}
_STANDS_FOR = re.compile(r"^What does (?P<term>[A-Za-z0-9&/-]{2,12}) stand for\?$")
MAX_TERM_WORDS = 4
"""A term of more words is a clause read as a term ("Eastern Europe refuse to accept aid")."""


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


def _vague_term(term: str) -> bool:
    """A term no one could answer about without its heading: a symbol, a pronoun, a fragment
    with markup or a preposition in front."""
    term = re.sub(r"^(\*\*|__|\*|_)(?P<t>[^*_]+)\1$", r"\g<t>", term.strip())  # a bold or italic term
    bare = re.sub(r"\$[^$]*\$|\\\(.*?\\\)", "x", term).strip()
    words = _WORDS.findall(bare)
    return (not words or len(bare) <= 2 or "$" in term or "\\(" in term or bool(_MARKUP.search(term))
            or words[0].lower() in VAGUE_SUBJECTS or bool(_MODAL_START.match(bare)))


# "Education, use of contraception", "angioedema/ asthma", "Strength of social ties vs
# individualistic societies": examples or a contrast, not what the term is.
_ENUMERATION = re.compile(r"^(?!(?:a|an|the)\b)(?:\S+\s+){0,2}\S+,|\s/|/\s|\bvs\.?\b|\bversus\b", re.I)
_PRAISE = frozenset({"great", "awesome", "amazing", "cool", "nice", "fun", "boring", "terrible", "love",
                     "hate", "favorite", "favourite", "best", "worst"})


def _predicate(answer: str) -> bool:
    """An answer that says what the term does or how someone feels about it, not what it is:
    "targets the thyroid gland", "a great way to build your network"."""
    words = answer.split()
    first = words[0].lower().strip(",.;:") if words else ""
    return ((first.endswith("s") and first[:-1] in VERBS)
            or any(w.lower().strip(",.;:!") in OPINION_WORDS | _PRAISE for w in words))


def spells(acronym: str, expansion: str) -> bool:
    """Whether `expansion` is a whole expansion of `acronym`: the initials of its words, small
    words optional, give the acronym's letters ("Bottleneck Bandwidth and Round-trip" is not
    the whole of BBR's "... propagation time")."""
    letters = re.sub(r"[^a-z0-9]", "", acronym.lower())
    words = [w for w in re.split(r"[\s/-]+", expansion.lower()) if w]
    small = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "&"}

    def match(i: int, j: int) -> bool:
        if i == len(letters):
            return all(w in small for w in words[j:])
        if j == len(words):
            return False
        w = words[j]
        if w in small and match(i, j + 1):
            return True
        if w[:1] != letters[i]:
            return False
        at, k = 1, i + 1  # a word may give more letters in order: HyperText -> H, T
        while True:
            if match(k, j + 1):
                return True
            if k == len(letters) or (at := w.find(letters[k], at) + 1) == 0:
                return False
            k += 1

    return bool(letters) and match(0, 0)


_DANGLING = frozenset({"is", "are", "was", "were", "be", "the", "a", "an", "of", "and", "or", "to", "in",
                       "on", "for", "with", "by", "that", "which", "than", "as"})
_PERSONAL = frozenset({"you", "we", "they", "it", "he", "she", "i", "there"})
_SPLICE = re.compile(r"(?:,|;|\s[-–—]+)\s*(?:(?:it|they|this|these|that)\s+"
                     r"(?:is|are|was|were|can|will|has|have|does|do)|you|we)\b", re.I)


# An answer that is a quantity, not what the term is: "25ms-150ms", "up to 200mg", "64 nations",
# "99.99 ^10", "3.5 GB"; a number inside a description ("the top 10 bits") is fine.
_MEASURE = re.compile(r"^\W*(?:up to |about |over |under |approx\w*\.? )?[~<>≈]?\s*\d"
                      r"|\d\s*(?:mg|mcg|ms|s|g|kg|ml|l|%|x|kb|mb|gb|tb|hz|khz|mhz|ghz|rps|bn|mn|k|m)\b"
                      r"|\d\s*[-–]\s*\d", re.I)


_CONDITION_OR_CLAUSE = re.compile(r"^\w+,? (?:if|when|unless|once|is|are|was|were)\b", re.I)
"""An answer that is a condition ("elastic if ...") or a clause of its own ("inelastic is the ...")."""
_SENTENCE = re.compile(r"^(?:(?:the|a|an|this|these|its|their|his|her|our|my)\s+)?"
                       r"(?:(?!(?:that|which|who|whose|where|when)\b)[\w'-]+\s+){0,3}"
                       r"(?:is|are|was|were|has|had|will|would|could|did)\s+(?!\w+ing\b)", re.I)
"""An answer that is a sentence of its own ("the monarchy was nearly bankrupt after the war"):
what happened, not what the term is (a relative clause, "a value that is", is a noun phrase)."""
_ADVERB_CLAUSE = re.compile(r"^(?!(?:the|a|an)\b)(?:[\w'-]+\s+){1,2}(?:never|also|later|soon|still|always|"
                            r"finally|then|once|first)\s+[a-z]+", re.I)
"""A subject, an adverb and a verb ("US never joined", "Britain later withdrew"): a sentence."""
_NAME = re.compile(r"[A-Z][\w-]*|[A-Z][A-Z0-9]+ v?\d[\w.]*")
"""A name ("Cassandra", "NRDP 1.x"): an example of the term, not what it is."""
_ASIDE = re.compile(r"\((?:wow|lol|omg|haha|ha|yay|ugh|sic|!+|\?+)\W*\)|\b(?:lol|lmao)\b", re.I)
"""The note-taker's aside in an answer ("(wow)", "lol"): the card would carry it."""


def _not_a_noun_phrase(answer: str, plural: bool) -> bool:
    """An answer that is cut off ("two variables X and Y are"), a sentence about someone
    ("you don't have to think about it"), an instruction ("create a group for them", "avoid
    SPoF"), or a noun phrase with a second clause spliced on (", they are used to...")."""
    words = [w.strip(",.;:!?()\"'") for w in answer.split()]
    if not words or not words[-1]:
        return False
    first, second = words[0], words[1] if len(words) > 1 else ""
    base_verb = first in VERBS and not first.endswith(("s", "ing", "ed"))
    gerund = first.lower().endswith("ing") and len(first) > 5 and len(words) <= 2  # "catching up"
    return (words[-1].lower() in _DANGLING or first.lower() in _PERSONAL | {"like"} or gerund
            or (base_verb and (second.lower() in DETERMINERS | ADVERBS or second[:1].isupper() or plural))
            or _SPLICE.search(answer) is not None or ";" in answer)


_ADJECTIVE_ENDS = ("ic", "al", "ous", "ive", "ful", "less", "able", "ible", "ent", "ant", "ary", "ory", "ish",
                   "line", "ular")
_ADJECTIVES = frozenset("""complex simple fast slow big small large hard easy new old good bad cheap
expensive important common rare strong weak high low short long safe secure stable robust flexible
""".split())


_PLACE = frozenset("in at on for to with among during after before under within".split())
_COMPOUND_QUALITY = re.compile(r"^\w+[- ](?:related|dependent|based|induced|mediated|specific|limited)$",
                               re.I)


def _only_qualities(answer: str) -> bool:
    """An answer of adjectives ("complex and organic", "fast, cheap"), maybe with where they
    hold ("common in early factories", "rare in children") or a compound ("dose related"):
    what the term is like, not what it is."""
    words = [w.lower() for w in _WORDS.findall(answer)]
    if not words or len(words) > 8 or words[0] in DETERMINERS:
        return False
    if _COMPOUND_QUALITY.match(answer.strip()):
        return True
    cut = next((i for i, w in enumerate(words) if w in _PLACE), len(words))
    words = words[:cut] if 0 < cut < len(words) else words
    if len(words) > 5:
        return False
    return all(w in ("and", "or", "but", "very", "quite", "highly", "not") or w in _ADJECTIVES
               or w.endswith(_ADJECTIVE_ENDS) for w in words) and any(w not in ("and", "or") for w in words)


def _lead(term: str, line: str) -> str | None:
    """What a definition's line says before its term, when it opens with a qualifier ("Post-war,
    X is the dominant power" -> "Post-war"); None when the term opens the line."""
    plain = re.sub(r"[*_`]", "", line).lstrip(" \t-+*•>#0123456789.)")
    at = plain.lower().find(re.sub(r"[*_`]", "", term).lower())
    lead = plain[:at].rstrip() if at > 0 else ""
    return lead[:-1].strip() if lead.endswith(",") else None


_IN_TOPIC = re.compile(r"^In (?P<topic>[A-Za-z][^,]{1,40})$")


def _dash_label(term: str, answer: str, line: str) -> bool:
    """`X - an antipattern`: a word or two after a dash is a remark on X, not what X is."""
    plain = re.sub(r"[*_`]", "", line)
    dashed = re.search(re.escape(re.sub(r"[*_`]", "", term)) + r"\s+[-–—]+\s+", plain, re.I)
    return dashed is not None and len(_WORDS.findall(answer)) <= 2


def _lost_lead(term: str, line: str) -> bool:
    """A definition stated without the qualifier its line opens with ("Post-war, ...")."""
    lead = _lead(term, line)
    return lead is not None and not _IN_TOPIC.match(lead)


def _restates(term: str, answer: str) -> bool:
    """An answer that mostly repeats its term ("monolithic code base" -> "single code base")."""
    said = {w.lower() for w in _WORDS.findall(term)}
    shown = re.sub(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)", " ", answer)  # an image, a link's address
    new = [w for w in _WORDS.findall(shown) if w.lower() not in DETERMINERS]
    return len(new) >= 3 and sum(w.lower() not in said for w in new) <= 1


def _doubtful_definition(card: Card, line: str = "") -> bool:
    """Raters kept definitions of a named term by a noun phrase ("MQTT: a lightweight pub/sub
    protocol"); they rewrote or deleted a `Label: value` line read backwards ("What is
    ankylosing spondylitis?" -> "PO up to 200mg"), a term that is a clause or starts with
    "the", and an answer that is a measurement, a caution or a run-on."""
    stands = _STANDS_FOR.match(card.question)
    if stands:  # "TLS stands for Transport Layer Security": sure when the expansion is whole
        return not spells(stands.group("term"), card.answer)
    m = _ASKS_WHAT.match(card.question) or re.match(r"^What does (?P<term>.+?) (?:mean|refer to)\?$",
                                                     card.question)
    if m is None:
        return True  # "What about ...?" and other forms raters found awkward
    term, answer = m.group("term"), card.answer.strip()
    words = term.split()
    common = words[0].lower() in ("the", "a", "an") and not any(w[:1].isupper() for w in words[1:])
    return ((_vague_term(term) and not m.group("topic")) or len(words) > MAX_TERM_WORDS
            or common  # "the implementation"
            or (len(words) > 1 and words[0].lower().endswith("ing"))
            or len(answer.split()) > MAX_DEFINITION_WORDS
            or not (answer[:1].isalpha() or answer.startswith(("![", "$", "\\(")))  # an image or a formula
            or bool(_MODAL_START.match(answer)) or "\n" in answer or bool(_MEASURE.search(answer))
            or bool(_ENUMERATION.search(answer)) or _predicate(answer)
            or _not_a_noun_phrase(answer, plural=card.question.startswith(("What are", "What were")))
            or _restates(term, answer) or _only_qualities(answer) or _lost_lead(term, line)
            or _dash_label(term, answer, line) or len(re.findall(r"(?<![\w.$])\d(?![\w.$])", answer)) >= 2
            or _CONDITION_OR_CLAUSE.match(answer) is not None or _ASIDE.search(answer) is not None
            or _SENTENCE.match(answer) is not None or _ADVERB_CLAUSE.match(answer) is not None or ":" in term
            or re.match(r"^[\w-]+(?: [\w-]+)?: ", answer) is not None  # "lazy: values made on demand"
            or _NAME.fullmatch(answer) is not None)


def _doubtful_list(card: Card) -> bool:
    """Raters kept "What are 3 different throttling strategies?" and "What are the cons of
    X?", not "What are the considerations?" (of what?) or a heading turned into a question."""
    question = re.sub(r"^In [^,]+, (\w)", lambda m: m.group(1).upper(), card.question)  # asked in a topic
    bare = _BARE_LIST.match(question) is not None and question == card.question
    # Five ratings kept one list card in eight: the item lists under a bullet mix traits,
    # problems and advice. Only a list that says what its items are stays: a count that
    # matches them ("3 throttling strategies") or the pros and cons of something.
    # a question the notes ask ("Where do hormones come from?"), not one made from a heading
    authored = question.endswith("?") and re.match(r"^What (?:are|were|does|do) ", question) is None
    named = _NAMED_LIST.search(question) is not None or authored
    return (not named or bare or bool(_VAGUE_LIST.search(question))
            or not question.startswith(("What", "Which", "Who", "How", "Why", "When", "Where"))
            or len(card.items) > MAX_LIST_ITEMS or bool(_MARKUP.search(question))
            or _garbled_list(question, card.items))


def _garbled_list(question: str, items: tuple[str, ...]) -> bool:
    """A list whose question is a clause ("What are the neural feedback leads to release of
    vasopressin?"), whose count is not its number of items ("7 features", six given), or
    whose items are links or the pieces of one sentence ("64 nations; including USA")."""
    m = re.match(r"^What (?:are|were) (?P<what>.+?)(?:, in order)?\?$", question)
    what = m.group("what") if m else ""
    count = re.match(r"(?:the )?(\d+|two|three|four|five|six|seven|eight|nine|ten)\b", what)
    said = _NUMBER_WORDS_BACK.get(count.group(1), count.group(1)) if count else None
    wrong_count = said is not None and int(said) != len(items)
    words = what.split()
    clause = any(w.endswith("s") and w[:-1].lower() in VERBS and nxt[:1].islower()
                 and not (prev[:1].isdigit() or prev.lower() in DETERMINERS
                          or prev.lower() in _NUMBER_WORDS_BACK)
                 and nxt not in ("of", "in", "for", "on", "at", "with", "from", "by", "and", "or")
                 for prev, w, nxt in zip(words, words[1:], words[2:], strict=False))  # "feedback leads to"
    return (len(words) > MAX_LIST_SUBJECT_WORDS or "," in what or wrong_count or clause
            or any("://" in i or re.search(r"\b(?:e\.g|i\.e)\.?$", i) for i in items)
            or any(re.match(r"(?:including|such as|and|or|but|e\.g)\b", i) for i in items))


def _doubtful_cloze(card: Card) -> bool:
    """A deletion that hides a bare label (`1`, `2`), sits in a line with too few words, or in a
    sentence with no subject ("Use lots of gRPC over {{c1::~100}} services": who does?)."""
    shown = DELETION.sub(" ", card.question)
    hidden = [m.group(1) for m in DELETION.finditer(card.question)]
    words = _WORDS.findall(shown)
    arithmetic = any(re.search(r"\d\s*[-+*/^×]\s*\d", h) for h in hidden) \
        or re.search(r"\}\}\s*[+*/^×]\s*\w|\w\s*[+*/^×]\s*\{\{c", card.question) is not None  # "1 + n"
    spelled = any(_NUMBER_WORDS.get(h.strip(), "-") in shown.lower().split() for h in hidden)  # "1" and "one"
    pointing = re.search(r"\b(?:these|those)\b", shown, re.I) is not None  # "these ~20 endpoints": which?
    pointing = pointing or card.question.rstrip().endswith(":")  # "... a product of 3 phases:" (which?)
    # a sign condition in a formula ("ΔH < {{c1::0}}", "r > {{c1::1}}"): a bound, not a fact to recall
    bound = re.search(r"[<>≤≥≠]\s*\{\{c\d+::[-−]?[01]\}\}", card.question) is not None
    # two blanks in one sentence: raters read them as two facts in one card, every time
    several = len(hidden) > 1 and card.extractor != "cloze"
    return (len(words) < 3 or several or arithmetic or spelled or pointing or bound
            or not (card.question[:1].isalnum() or _term_first(card)) or _no_subject(card.question))


def _term_first(card: Card) -> bool:
    """An emphasised name or term that opens its sentence ("{{c1::Rosalind Franklin}} imaged
    DNA by X-ray"): the blank is the subject, the rest of the sentence its cue."""
    revealed = DELETION.sub(r"\1", card.question)
    return card.extractor == "emphasis" and card.question.startswith("{{c") and revealed[:1].isalpha()


def _no_subject(text: str) -> bool:
    """A sentence that starts with a verb, an adverb or a lower-case word: a fragment."""
    words = DELETION.sub(r"\1", text).split()
    if len(words) < 2:
        return True
    first, second = words[0], words[1].lower()
    if first[:1].islower() and first.isalpha():
        return True  # "encrypted client hello in 1.22", "when started in 2014 ..."
    lower = first.lower()
    if lower in IRREGULAR_PAST or (lower.endswith("ed") and (lower[:-2] in VERBS or lower[:-1] in VERBS)):
        return True  # "Chosen by the party ...", "Released in 2009 ...": whose?
    second_is_verb = second in BE | HAVE | MODALS or second in VERBS or second.removesuffix("s") in VERBS \
        or second.removesuffix("es") in VERBS
    return (lower.endswith("ly") or lower in MODALS or lower in ("new", "can", "could")
            or (lower in VERBS and second[:1].isalpha() and second[:1].islower() and not second_is_verb))


def doubtful(card: Card, line: str) -> bool:
    """Whether raters would mostly rewrite or delete this card (see the module docstring)."""
    if card.extractor in UNCONFIDENT_EXTRACTORS or _COURSE.search(line):
        return True
    short = _STANDS_FOR.match(card.question)
    if short and card.extractor == "acronym" and short["term"].isupper() \
            and not spells(short["term"], card.answer):
        return True  # an expansion cut short is a wrong card
    if card.type != CLOZE and (_PRONOUN.search(card.question) or card.answer.startswith(("Yes", "No:"))):
        return True  # "How are they accepted?"; a yes/no question its answer only restates
    if card.extractor == "definition":
        return _doubtful_definition(card, line)
    if card.type == LIST:
        return _doubtful_list(card)
    if card.type == CLOZE and card.extractor != "cloze":
        return _doubtful_cloze(card)
    return False


# Headings that name no topic of their own: the one above them does.
GENERIC_HEADING = re.compile(r"^(?:(?:general |lecture |class |my |key |more |other )?"
                             r"(?:notes?|summary|overview|introduction|intro|definitions?|terms|terminology|"
                             r"basics|examples?|"
                             r"considerations|details|misc\w*|lecture|review|recap|questions?|main ideas)"
                             r"|question \d+|part \d+|day \d+|week \d+)$", re.I)
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
    visible = _WORDS.findall(DELETION.sub(" ", card.question))
    topic_words = {w.lower() for w in _WORDS.findall(where)}
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
        bare = _BARE_LIST.match(card.question) or _COUNTED_BARE_LIST.match(card.question)
        if bare is None or where.lower() in card.question.lower():
            return card  # "What are the indications?" under "NSAIDs": of what?
        return _asked_in(card, where)
    m = _ASKS_WHAT.match(card.question)
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
    question = f"In {where}, {card.question[0].lower()}{card.question[1:]}"
    return Card(question, card.answer, card.source, card.type, card.context, card.extractor, card.score,
                card.tags, card.deck, card.guid, card.items)


def _in_line_topic(card: Card, line: str) -> Card | None:
    """A definition asked within the topic its line opens with ("In Go, interfaces are
    two-word structs" -> "In Go, what are interfaces?"); None for any other card."""
    asked = _ASKS_WHAT.match(card.question)
    if card.extractor != "definition" or asked is None or asked.group("topic"):
        return None
    lead = _lead(asked.group("term"), line)
    in_topic = _IN_TOPIC.match(lead) if lead else None
    return _asked_in(card, in_topic.group("topic")) if in_topic else None


_ASKED_ABOUT = re.compile(r"^(?P<head>(?:What|Why|How|Where|When|Who|Which)\b.*?\b)(?P<pronoun>they|it)"
                          r"(?P<tail>\b[^?]*\?)$")


def _named_pronoun(card: Card) -> Card | None:
    """A question about "they" or "it" asked of the topic its heading names ("Where do they come
    from?" under "Hormones" -> "Where do hormones come from?"); None when the topic does not
    fit the pronoun (a plural for "they", a singular for "it") or there is none."""
    m = _ASKED_ABOUT.match(card.question)
    where = topic(card.context)
    if m is None or where is None or card.type == CLOZE or len(_PRONOUN.findall(card.question)) != 1:
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


def calibrate(card: Card, line: str) -> Card | None:
    """The card, asked within its topic when it needs one (`qualify`), with its score capped
    below `CONFIDENT` when it is doubtful (a suggestion); None when it drops a negation, a
    hedge or a condition of its line: a card that says what the notes do not is worse than
    none, even as a suggestion."""
    if card.extractor in ("explicit", "cloze"):
        return card
    if loses_meaning(card, line):
        return None
    card = _in_line_topic(card, line) or _named_pronoun(card) or qualify(card)
    if card.score < CONFIDENT or not doubtful(card, line):
        return card
    return Card(card.question, card.answer, card.source, card.type, card.context, card.extractor,
                min(card.score, SUGGESTED), card.tags, card.deck, card.guid, card.items)
