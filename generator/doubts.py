"""Doubts: the card patterns blind raters mostly rewrote or deleted, by card type.

`doubtful` says whether a card is one of them; `confidence.calibrate` then caps its score so
it waits as a suggestion instead of entering the deck. Each rule names the shape raters saw
("What is America?" -> "dominant power in the world") and is tested on sentences of our own.
"""

from __future__ import annotations

import re

from .cards import CLOZE, LIST, Card
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
from .phrases import spells

# Extractors whose cards raters kept less than one time in ten: always suggestions. A
# statement cuts a sentence at its verb ("What do we close?"); a comparison or cause splits
# one at "because", "until" or "than", which often garbles it.
UNCONFIDENT_EXTRACTORS = frozenset({"statement", "comparison"})
# A remark about the course, not the subject: "Prof said this is 20% of the midterm".
_COURSE = re.compile(r"\b(?:prof|professor|lecturer|teacher|instructor|TA|midterm|final exam|the exam|"
                     r"homework|assignment|problem set|syllabus|office hours|(?:on|in) the test|"
                     r"essay\b.*\bdue|due (?:on|by|date)|reading list)\b", re.I)
PRONOUN = re.compile(r"\b(?:they|them|it|its|this|these|those|he|she|we|you)\b(?!\s+(?:stand|mean))", re.I)
ASKS_WHAT = re.compile(r"^(?:In (?P<topic>[^,]+), w|W)hat (?:is|are|was|were) (?P<term>.+?)\??$")
_MARKUP = re.compile(r"\*\*|__|`|^_|_$|^\*|\*$|\[|\]")
_MODAL_START = re.compile(r"^(?:may|might|can|could|should|will|would|must|is|are|was|were|has|have|"
                          r"had|does|do|did|to|in|at|on|of|for|by|with|and|or|but|if|when|while)\b", re.I)
_VAGUE_LIST = re.compile(r"^What (?:does|do) (?:the )?.+ include\?$|points under")
WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]+")
MAX_DEFINITION_WORDS = 14
"""A definition's answer longer than this runs on into a second thought (raters split it)."""
MAX_LIST_ITEMS = 8
MAX_LIST_SUBJECT_WORDS = 8
"""A list question naming more words than this asks about a clause, not a thing."""
_NAMED_LIST = re.compile(r"^What (?:are|were) (?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
                         r"\b|\b(?:pros|cons|advantages|disadvantages|benefits|drawbacks|steps|phases|stages|types|"
                         r"kinds|causes|effects|symptoms|parts|components) (?:of|to|in)\b", re.I)
BARE_LIST = re.compile(r"^What (?:are|were) (?:the )?[A-Za-z][\w-]*\??$")
"""A list question naming one bare noun ("What are the considerations?"): of what?"""
COUNTED_BARE_LIST = re.compile(r"^What (?:are|were) the "
                                r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten) [A-Za-z][\w-]*\??$")
"""A counted list of one bare noun ("What are the two parts?"): asked within its topic."""
_NUMBER_WORDS = {str(n): w for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORDS_BACK = {w: n for n, w in _NUMBER_WORDS.items()}
_STANDS_FOR = re.compile(r"^What does (?P<term>[A-Za-z0-9&/-]{2,12}) stand for\?$")
MAX_TERM_WORDS = 4
"""A term of more words is a clause read as a term ("Eastern Europe refuse to accept aid")."""


def _vague_term(term: str) -> bool:
    """A term no one could answer about without its heading: a symbol, a pronoun, a fragment
    with markup or a preposition in front."""
    term = re.sub(r"^(\*\*|__|\*|_)(?P<t>[^*_]+)\1$", r"\g<t>", term.strip())  # a bold or italic term
    bare = re.sub(r"\$[^$]*\$|\\\(.*?\\\)", "x", term).strip()
    words = WORDS.findall(bare)
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


_DANGLING = frozenset({"is", "are", "was", "were", "be", "the", "a", "an", "of", "and", "or", "to", "in",
                       "on", "for", "with", "by", "that", "which", "than", "as"})
_PERSONAL = frozenset({"you", "we", "they", "it", "he", "she", "i", "there"})
_SPLICE = re.compile(r"(?:,|;|\s[-–—]+)\s*(?:(?:it|they|this|these|that)\s+"
                     r"(?:is|are|was|were|can|will|has|have|does|do)|you|we)\b", re.I)


# An answer that is a quantity, not what the term is: "25ms-150ms", "up to 200mg", "64 nations",
# "99.99 ^10", "3.5 GB"; a number inside a description ("the top 10 bits") is fine.
_MEASURE = re.compile(r"^\W*(?:up to |about |over |under |around |roughly |nearly |almost |eventually |"
                      r"usually |typically |approx\w*\.? )?[~<>≈]?\s*\d"
                      r"|\d\s*(?:mg|mcg|ms|s|g|kg|ml|l|%|x|kb|mb|gb|tb|hz|khz|mhz|ghz|rps|bn|mn|k|m)\b"
                      r"|\d\s*[-–]\s*\d", re.I)


_CONDITION_OR_CLAUSE = re.compile(r"^\w+,? (?:if|when|unless|once|is|are|was|were)\b", re.I)
"""An answer that is a condition ("elastic if ...") or a clause of its own ("inelastic is the ...")."""
_SENTENCE = re.compile(r"^(?:(?:the|a|an|this|these|its|their|his|her|our|my)\s+)?"
                       r"(?:(?!(?:that|which|who|whose|where|when)\b)[\w'-]+\s+){0,3}"
                       r"(?:is|are|was|were|has|had|will|would|could|did|must|can|cannot|should|may|might|"
                       r"do|does|don't|doesn't|didn't|won't|can't|dont|doesnt)"
                       r"\s+(?!\w+ing\b)", re.I)
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


_QUALIFIERS = frozenset("""and or but very quite highly not usually often always sometimes generally
typically mostly rarely slightly strongly weakly""".split())
# Endings of words that are adjectives and (almost) never nouns: "expansionary", "sequential",
# "longitudinal", "analogous", "historical".
_ADJECTIVE_ONLY_ENDS = ("ionary", "ential", "itudinal", "ous", "ical")
_PLACE = frozenset("in at on for to with among during after before under within".split())
_COMPOUND_QUALITY = re.compile(r"^\w+[- ](?:related|dependent|based|induced|mediated|specific|limited)$",
                               re.I)


def _only_qualities(answer: str) -> bool:
    """An answer of adjectives ("complex and organic", "fast, cheap"), maybe with where they
    hold ("common in early factories", "rare in children") or a compound ("dose related"):
    what the term is like, not what it is."""
    words = [w.lower() for w in WORDS.findall(answer)]
    if not words or len(words) > 8 or words[0] in DETERMINERS:
        return False
    if _COMPOUND_QUALITY.match(answer.strip()):
        return True
    cut = next((i for i, w in enumerate(words) if w in _PLACE), len(words))
    words = words[:cut] if 0 < cut < len(words) else words
    if len(words) > 5:
        return False
    return all(w in _QUALIFIERS or w in _ADJECTIVES
               or w.endswith(_ADJECTIVE_ENDS) for w in words) and any(w not in ("and", "or") for w in words)


def line_lead(term: str, line: str) -> str | None:
    """What a definition's line says before its term, when it opens with a qualifier ("Post-war,
    X is the dominant power" -> "Post-war"); None when the term opens the line."""
    plain = re.sub(r"[*_`]", "", line).lstrip(" \t-+*•>#0123456789.)")
    at = plain.lower().find(re.sub(r"[*_`]", "", term).lower())
    lead = plain[:at].rstrip() if at > 0 else ""
    return lead[:-1].strip() if lead.endswith(",") else None


IN_TOPIC = re.compile(r"^In (?P<topic>[A-Za-z][^,]{1,40})$")


def _dash_label(term: str, answer: str, line: str) -> bool:
    """`X - an antipattern`: a word or two after a dash is a remark on X, not what X is."""
    plain = re.sub(r"[*_`]", "", line)
    dashed = re.search(re.escape(re.sub(r"[*_`]", "", term)) + r"\s+[-–—]+\s+", plain, re.I)
    return dashed is not None and len(WORDS.findall(answer)) <= 2


def _lost_lead(term: str, line: str) -> bool:
    """A definition stated without the qualifier its line opens with ("Post-war, ...")."""
    lead = line_lead(term, line)
    return lead is not None and not IN_TOPIC.match(lead)


def _restates(term: str, answer: str) -> bool:
    """An answer that mostly repeats its term ("monolithic code base" -> "single code base")."""
    said = {w.lower() for w in WORDS.findall(term)}
    shown = re.sub(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)", " ", answer)  # an image, a link's address
    new = [w for w in WORDS.findall(shown) if w.lower() not in DETERMINERS]
    return len(new) >= 3 and sum(w.lower() not in said for w in new) <= 1


# A label no one could answer about alone ("default = B+ tree", "cost: slower writes"): it says
# which part of its heading's topic the line is about, and the card would not.
_LABEL_WORDS = frozenset("""yesterday today tomorrow blocker blockers mnemonic todo agenda
default defaults cost costs benefit benefits downside downsides upside pro pros
con cons key note notes example examples result results problem problems idea goal goals reason reasons
tip tips rule rules summary overview main other others use uses usage spectrum curve order types kinds
steps effect effects""".split())
_POINTER = re.compile(r"\b(?:(?:none|all|any|both|either|neither) of the above|see (?:above|below)|"
                      r"(?:ch|chap|chapter|pp?|sec|slides?)\.? ?\d|"
                      r"the opposite|(?:combo|combination|mix|mixture) of (?:both|the two)|^none$|"
                      r"same as (?:above|before)|as above|(?:the )?above|(?:the )?previous one)\b", re.I)
_PAST_ACTION = re.compile(r"^[a-z]+(?:ed)?\s+(?:by|a|an|the|his|her|their|its|in|at|to|from)\b")
_ARROWS = re.compile(r"->|=>|→")
_ASIDE_AFTER_ARROW = r"(?:use|see|try|check|read|look|install|prefer|avoid|todo|e\.g\.?|cf\.?)\b"
_CASE_OR_EVENT = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[\w.'’&-]+)*?\s+(?:v\.?|vs\.?)\s+[A-Z]"
                            r"|^[A-Z][\w'’-]*.*\(\d{2,4}\)")
"""An answer that is a case or an event with its year ("Fisher v Bell (1961)", "Tiberius (133) land
reform"): an example or a story, not what the term is."""
_VERDICT = re.compile(r"\b(?:YES|NO)\b")
_CHANGE = re.compile(r"(?:->|=>|→)\s*[~≈<>]?\s*-?\d")
_CATEGORY_ONLY = re.compile(r"^(?:an?|the)\s+(?:[\w-]+\s+)?(?:anti-?pattern|pattern|thing|concept|technique|"
                            r"tool|idea|approach|problem|issue|example|way|method|trick|option|feature|term)$",
                            re.I)
"""An answer that only names a category ("an anti-pattern", "a useful technique"): too little to learn."""


def _lone_adjective(term: str, context: str) -> bool:
    """A term that is one lower-case adjective ("expansionary = ...", "longitudinal = same ppl
    over time", or "proactive = ..." under "interference:"): it names a kind of something the
    card would not say."""
    if re.fullmatch(r"[a-z]+", term) is None:
        return False
    parent = context.split(" > ")[-1].strip()
    adjective = term in _ADJECTIVES or term.endswith(_ADJECTIVE_ENDS)
    under_lead_in = parent.endswith(":") and len(parent.split()) <= 2
    return term.endswith(_ADJECTIVE_ONLY_ENDS) or (adjective and under_lead_in)


_TODO = re.compile(r"\b(?:TODO|FIXME|TBD)\b|\bask (?:the )?(?:prof|professor|TA|teacher)\b", re.I)


def _past_sentence(answer: str) -> bool:
    """An answer that tells what happened ("India-Eurasia collision began ~50 Ma", "some
    priming studies didn't replicate"): a past-tense verb after its subject, the answer not
    opening with an article (in "a value computed from ..." the participle describes)."""
    words = [w.strip(",.;:()").lower() for w in answer.split()]
    if not words or words[0] in ("a", "an", "the"):
        return False
    for i, w in enumerate(words[1:7], start=1):
        after = words[i + 1] if i + 1 < len(words) else ""
        # a verb, not an adjective: "linked lists", "intended consequences" describe a noun
        verb_next = after != "by" and (not after or after in DETERMINERS | PREPOSITIONS | ADVERBS
                                       or after[:1] in "~≈0123456789")  # "nodes connected by pointers"
        past = (w in IRREGULAR_PAST or (w.endswith("ed") and (w[:-2] in VERBS or w[:-1] in VERBS))) \
            and words[i - 1] not in BE | HAVE  # "where proteins are made": a passive, no story
        if w.endswith("n't") or (past and verb_next):
            return True
    return False


def _cut_sequence(answer: str, line: str) -> bool:
    """A definition read from a line with an arrow its card does not hold: the answer was cut
    at it ("curve: lag -> log -> stationary" gave "lag"; "wealth effect - asset prices up ->
    ppl spend more" gave "asset prices up", the cause without its effect), or the term starts
    after it ("bind PBPs -> block transpeptidation = ...")."""
    arrows = len(_ARROWS.findall(line))
    if arrows == 0 or len(_ARROWS.findall(answer)) >= arrows:
        return False
    after = _ARROWS.split(line)[1].strip()
    return arrows > 1 or not re.match(_ASIDE_AFTER_ARROW, after, re.I)  # "-> use Mosquitto": an aside


def _past_action(answer: str) -> bool:
    """An answer that says what happened ("crushed a crusader army", "captured by Timur"),
    not what the term is ("programmed cell death" is a noun phrase)."""
    first = answer.split()[0].lower() if answer.split() else ""
    past = first in IRREGULAR_PAST or (first.endswith("ed") and (first[:-2] in VERBS or first[:-1] in VERBS))
    return past and _PAST_ACTION.match(answer.lower()) is not None


def _doubtful_definition(card: Card, line: str = "") -> bool:
    """Raters kept definitions of a named term by a noun phrase ("MQTT: a lightweight pub/sub
    protocol"); they rewrote or deleted a `Label: value` line read backwards ("What is
    ankylosing spondylitis?" -> "PO up to 200mg"), a term that is a clause or starts with
    "the", and an answer that is a measurement, a caution or a run-on."""
    stands = _STANDS_FOR.match(card.question)
    if stands:  # "TLS stands for Transport Layer Security": sure when the expansion is whole
        return not spells(stands.group("term"), card.answer)
    m = ASKS_WHAT.match(card.question) or re.match(r"^What does (?P<term>.+?) (?:mean|refer to)\?$",
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
            or _past_action(answer) or _POINTER.search(answer) is not None or _cut_sequence(answer, line)
            or term.lower() in _LABEL_WORDS or term[:1].isdigit() or " / " in term
            or _CATEGORY_ONLY.match(answer) is not None or _lone_adjective(term, card.context)
            or re.search(r"\b1\d{3}\b|\b20\d\d\b|\d\s*(?:BC|BCE|AD|CE)\b|\d{2,}|\d\s*[°%]", term) is not None
            or term[:1] in "~≈<>" or re.search(r"\b(?:if|when|unless)\b", term) is not None
            or any(w.lower() in MODALS for w in words)  # "What does two owners would mean?"
            or _unbalanced(term) or _unbalanced(answer) or _TODO.search(answer) is not None
            or _past_sentence(answer)
            or _CASE_OR_EVENT.match(answer) is not None or _VERDICT.search(answer) is not None
            or (_CHANGE.search(line) is not None and _CHANGE.search(answer) is None)
            or re.match(r"^[\w-]+(?: [\w-]+)?: ", answer) is not None  # "lazy: values made on demand"
            or _NAME.fullmatch(answer) is not None)


def _doubtful_list(card: Card) -> bool:
    """Raters kept "What are 3 different throttling strategies?" and "What are the cons of
    X?", not "What are the considerations?" (of what?) or a heading turned into a question."""
    question = re.sub(r"^In [^,]+, (\w)", lambda m: m.group(1).upper(), card.question)  # asked in a topic
    bare = BARE_LIST.match(question) is not None and question == card.question
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
    words = WORDS.findall(shown)
    arithmetic = any(re.search(r"\d\s*[-+*/^×]\s*\d", h) for h in hidden) \
        or re.search(r"\}\}\s*[+*/^×]\s*\w|\w\s*[+*/^×]\s*\{\{c", card.question) is not None  # "1 + n"
    spelled = any(_NUMBER_WORDS.get(h.strip(), "-") in shown.lower().split() for h in hidden)  # "1" and "one"
    pointing = re.search(r"\b(?:these|those)\b", shown, re.I) is not None  # "these ~20 endpoints": which?
    pointing = pointing or card.question.rstrip().endswith(":")  # "... a product of 3 phases:" (which?)
    # a sign condition in a formula ("ΔH < {{c1::0}}", "r > {{c1::1}}"): a bound, not a fact to recall
    bound = re.search(r"[<>≤≥≠]\s*\{\{c\d+::[-−]?[01]\}\}", card.question) is not None
    # the blank cuts a token ("β-1,{{c1::4}}", "{{c1::4}}-fold"), or the sentence starts or
    # ends inside brackets ("saliva) cuts the ..."): a fragment, not a fact
    bound = bound or re.search(r"[\d][,.\-]\{\{c\d+::|\}\}[,.\-]?\d", card.question) is not None \
        or _unbalanced(shown)
    # an operator inside the blank ("≈ {{c1::5.35 ×}} ln(C/C0)"), a citation's year ("Hyde v
    # Wrench ({{c1::1840}})"), or a pronoun in a short sentence ("Sulla raised it to {{c1::~600}}")
    bound = bound or any(re.search(r"[×*/+=≈^]\s*$|^\s*[×*/+=≈^]", h) for h in hidden) \
        or re.search(r"\(\{\{c\d+::\d{3,4}\}\}\)", card.question) is not None \
        or (len(words) <= 6 and re.search(r"\b(?:it|they|them|he|she|this)\b", shown, re.I) is not None)
    # two blanks in one sentence: raters read them as two facts in one card, every time
    several = len(hidden) > 1 and card.extractor != "cloze"
    # a sentence led by a label ("1st: clergy (...)", "mnemonic: ...", "today: PR review for ...")
    # or by a bare symbol ("V not stable after ..."): which thing it is about, the card does not say
    label = re.match(r"^(?P<w>[\w-]+)\s*:", card.question)
    labelled = label is not None and (label["w"][:1].isdigit() or label["w"].lower() in _LABEL_WORDS)
    symbol = re.match(r"^[B-HJ-Z]\s", card.question) is not None  # not "A" or "I"
    return (len(words) < 3 or several or arithmetic or spelled or pointing or bound or labelled or symbol
            or not (card.question[:1].isalnum() or _term_first(card)) or _no_subject(card.question))


_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|my|me)\b|\?\?|\byet\?", re.I)


def _to_self(card: Card) -> bool:
    """A question the note-taker asks themselves ("does our RUM report INP yet?? (ask Priya)"):
    no answer in the notes, or only a reminder of whom to ask."""
    answer = card.answer.strip()
    return (card.question[:1].islower() or _FIRST_PERSON.search(card.question) is not None
            or (answer.startswith("(") and answer.endswith(")")))


def _unbalanced(text: str) -> bool:
    """Brackets that close before they open, or never close: a sentence cut out of another."""
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(ch, 0)
        if depth < 0:
            return True
    return depth != 0


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


# Verbs whose object is the thing to recall ("What does the CPI measure?" -> "the cost of a
# basket of goods"): a relation between two things, not an action with a purpose or a manner.
_RELATION_VERBS = frozenset("""measure measures contain contains store stores map maps share resist
resists produce produces encode encodes transport transports absorb absorbs release releases bind binds
inhibit inhibits block blocks activate activates regulate regulates convert converts represent represents
hold holds carry carries secrete secretes catalyse catalyze synthesize synthesise replace replaces
prevent prevents detect detects""".split())
_STATEMENT_QUESTION = re.compile(r"^What (?:do|does|did) (?P<subject>[^?]+?) (?P<verb>[a-z]+)\?$")


def plain_statement(card: Card, line: str) -> bool:
    """A statement asking for the object of a relation verb, with a named subject and a noun
    phrase for answer ("What does DNS map?" -> "domain names to IP addresses"), read from a
    sentence that says "SUBJECT VERBs ..." (not a `Label: verbs ...` line)."""
    m = _STATEMENT_QUESTION.match(card.question)
    if m is None or card.extractor != "statement" or m.group("verb") not in _RELATION_VERBS:
        return False
    said = rf"{re.escape(m.group('subject'))}\s+{m.group('verb').removesuffix('y')}\w*"  # "carry": "carries"
    if not re.search(said, line, re.I):
        return False
    subject = m.group("subject").split()
    answer = [w.strip(",.;:()") for w in card.answer.split()]
    if not subject or len(subject) > 4 or subject[0].lower() in _PERSONAL | VAGUE_SUBJECTS \
            or any(w.lower() in MODALS | BE for w in subject):
        return False
    clause = r"[,;:(]| to [a-z]+ |\b(?:which|that|who|when|if|because)\b"
    return 0 < len(answer) <= 8 and not re.search(clause, card.answer) \
        and not any(w.lower() in BE | MODALS or (w.endswith("s") and w[:-1] in VERBS and i > 0)
                    for i, w in enumerate(answer))


def doubtful(card: Card, line: str) -> bool:
    """Whether raters would mostly rewrite or delete this card (see the module docstring)."""
    if _COURSE.search(line):
        return True
    if card.extractor in UNCONFIDENT_EXTRACTORS:
        return not plain_statement(card, line)
    short = _STANDS_FOR.match(card.question)
    if short and card.extractor == "acronym" and short["term"].isupper() \
            and not spells(short["term"], card.answer):
        return True  # an expansion cut short is a wrong card
    if card.type != CLOZE and (PRONOUN.search(card.question) or card.answer.startswith(("Yes", "No:"))):
        return True  # "How are they accepted?"; a yes/no question its answer only restates
    if card.extractor == "definition":
        return _doubtful_definition(card, line)
    if card.extractor == "question" and _to_self(card):
        return True
    if card.type == LIST:
        return _doubtful_list(card)
    if card.type == CLOZE and card.extractor != "cloze":
        return _doubtful_cloze(card)
    return False


