"""English helpers shared by all extractors: sentences, clauses, subjects, noise, question forms.

Written once here so every extractor phrases questions the same way. Word lists live in
`lexicon.py`; this module holds the rules that use them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicon import (
    ADVERBS,
    ARTICLES,
    BE,
    CONJUNCTIONS,
    DETERMINERS,
    DO,
    HAVE,
    IRREGULAR_PAST,
    MODALS,
    NEGATIONS,
    OPINION_STARTS,
    OPINION_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    VAGUE_SUBJECTS,
    VERBS,
)

QUESTION_WORDS = frozenset({
    "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "is", "are", "was", "were",
    "does", "do", "did", "can", "could", "should", "would", "will", "name", "list",
})
# Unions used word by word, built once (a union per word was a tenth of extraction's own time).
_BEFORE_OBJECT = PREPOSITIONS | DETERMINERS | CONJUNCTIONS | {"to", "as"}
_NEVER_NAMES = PRONOUNS | DETERMINERS
_NOT_SUBJECT_START = NEGATIONS | ADVERBS | CONJUNCTIONS
_NOT_SUBJECT_END = PREPOSITIONS | DETERMINERS | {"to"}
# Words that only soften a statement; dropped from answers ("just 2 word structs").
FILLER = ("just", "basically", "simply", "actually", "really", "essentially", "pretty much", "kind of",
          "sort of", "literally")
_FILLER_RE = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLER) + r")\b\s*", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_TRAILING = re.compile(r"[\s,;:.\-–—]+$")
# A dash or dot right before a number, word or formula is its sign or decimal point, not
# punctuation to trim: "-1", "-log[H+]", ".5 mm" keep it.
_LEADING = re.compile(r"^(?:[\s,;:…]|\.{2,}|[.\-–—](?![\w$\\(\[]))+")
_ARROW = re.compile(r"\s+(?:->|=>|→)\s+")
_PARENTHETICAL_END = re.compile(r"\s*\([^()]*\)\s*$")
_EMOTICON = re.compile(r"\s*(?::\)|:\(|:D|:P|;\)|\(!+\)|!{2,})\s*")
_WORD = re.compile(r"[\w'’./+#-]+")
# Parenthetical asides that ask instead of tell: "(what is this)", "(go has union types?)".
OPEN_QUESTION = re.compile(r"\((?:[^()]*\?|\s*(?:what|why|how|who|which|where|when)\b[^()]*)\)", re.I)


# Math in notes: $$display$$, \[display\], \(inline\), $inline$ (not "$5 and $10").
MATH = re.compile(
    r"(?P<display>\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\])"
    r"|(?P<inline>\\\((?P<i1>.+?)\\\)|(?<![\\$\w])\$(?=\S)(?P<i2>[^$\n]+?)(?<=\S)\$(?![\w$]))",
    re.S,
)


def in_math(text: str, start: int, end: int) -> bool:
    """True when text[start:end] overlaps a math span (its `=` or `-` is an operator, not prose)."""
    return any(m.start() < end and start < m.end() for m in MATH.finditer(text))


def sentences(text: str) -> list[str]:
    """Split text into sentences (keeps abbreviations like `e.g.` mostly intact)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@functools.lru_cache(maxsize=1 << 16)
def clean_phrase(text: str) -> str:
    """Trim leading/trailing punctuation, emoticons and space from a phrase."""
    return _LEADING.sub("", _TRAILING.sub("", _EMOTICON.sub(" ", text).strip())).strip()


@functools.lru_cache(maxsize=1 << 16)
def strip_filler(text: str) -> str:
    """Drop softening words ("just", "basically") from an answer."""
    return " ".join(_FILLER_RE.sub("", text).split())


def first_clause(text: str) -> str:
    """The part of an answer before an arrow aside (`X -> use Y`)."""
    return _ARROW.split(text, maxsplit=1)[0]


@functools.lru_cache(maxsize=1 << 16)
def drop_trailing_parenthetical(text: str) -> str:
    """`Escape analysis (what is this)` -> `Escape analysis`."""
    return _PARENTHETICAL_END.sub("", text).strip() or text


def drop_open_questions(text: str) -> str:
    """Remove parenthetical asides that ask rather than tell."""
    return " ".join(OPEN_QUESTION.sub(" ", text).split())


@functools.lru_cache(maxsize=1 << 16)
def bare(word: str) -> str:
    """A word lower-cased without surrounding punctuation (`“Order”,` -> `order`)."""
    return word.strip(".,;:!?()[]{}\"'“”‘’`*_…").lower().replace("’", "'")


_INTERJECTION = re.compile(r"\(\s*(?:wow|lol|!+|\?+|haha|yay|meh|ugh|omg|nice|cool)\s*[!?.]*\s*\)", re.I)


@functools.lru_cache(maxsize=1 << 14)
def is_opinion(text: str) -> bool:
    """True for asides, summaries and first-person reactions that make poor cards.

    A bracketed interjection ("(wow)") is only an aside on a fact, so it does not count."""
    low = _INTERJECTION.sub(" ", text).strip().lower().lstrip("•-*…. ")
    if any(low.startswith(o) and not low[len(o):len(o) + 1].isalpha() for o in OPINION_STARTS):
        return True
    ws = {bare(w) for w in low.split()}
    return bool(ws & OPINION_WORDS)


@functools.lru_cache(maxsize=1 << 14)
def is_fragment(text: str) -> bool:
    """True for lines too thin to hold a fact ("The end…", a lone word)."""
    content = [w for w in (bare(w) for w in text.split()) if w and w not in DETERMINERS]
    return len(content) < 2 or (text.rstrip().endswith(("…", "...")) and len(content) < 6)


def is_noise(text: str) -> bool:
    """Lines no card should come from: opinions, asides, fragments."""
    return is_opinion(text) or is_fragment(text)


_EXPLICIT = re.compile(r"\s:::?\s|^(?:Q|A|Question|Answer)\s*[:.]\s|==\S|\{\{c\d+::", re.I)


def is_explicit_syntax(text: str) -> bool:
    """`front :: back`, `Q:` / `A:` lines and marked cloze (`==x==`, `{{c1::x}}`): cards the author
    wrote, for the explicit and cloze extractors."""
    return bool(_EXPLICIT.search(text.strip()))


def is_question(text: str) -> bool:
    """True for text that already asks something (`Why GraphQL?`)."""
    s = text.strip()
    return s.endswith("?") and bool(s) and bare(s.split()[0]).strip("¿") in QUESTION_WORDS


# --- verbs ---------------------------------------------------------------------------------------


def verb_base(word: str) -> str | None:
    """The base form of a known verb in any form (`provides` -> `provide`), else None."""
    w = bare(word)
    if w in IRREGULAR_PAST:
        return IRREGULAR_PAST[w]
    if w in VERBS:
        return w
    candidates = []
    if w.endswith("ies"):
        candidates.append(w[:-3] + "y")
    if w.endswith("es"):
        candidates.append(w[:-2])
    if w.endswith("s"):
        candidates.append(w[:-1])
    if w.endswith("ied"):
        candidates.append(w[:-3] + "y")
    if w.endswith("ed"):
        candidates += [w[:-2], w[:-1], w[:-3] if len(w) > 4 and w[-3] == w[-4] else ""]
    if w.endswith("ing"):
        candidates += [w[:-3], w[:-3] + "e", w[:-4] if len(w) > 5 and w[-4] == w[-5] else ""]
    return next((c for c in candidates if c and c in VERBS), None)


_NOT_PARTICIPLES = frozenset({"need", "seed", "speed", "bed", "red", "feed", "shed", "breed", "greed",
                              "hundred", "indeed", "embed", "proceed", "exceed", "succeed", "weed"})


def _unknown_participle(word: str) -> str | None:
    """`repaired` -> `repair` for -ed words the lexicon lacks (a past participle by its shape)."""
    w = bare(word)
    if len(w) >= 6 and w.endswith("ed") and w not in _NOT_PARTICIPLES:
        if w[-3] == w[-4]:
            return w[:-3]  # "stopped" -> stop
        if w[-3] in "szcvgu" or w.endswith("eed"):
            return w[:-1]  # "proposed" -> propose, "argued" -> argue
        return w[:-2]  # "repaired" -> repair
    return None


_IRREGULAR_PAST_OF = {
    "write": "wrote", "build": "built", "make": "made", "find": "found", "begin": "began", "give": "gave",
    "take": "took", "bring": "brought", "teach": "taught", "think": "thought", "buy": "bought", "lead": "led",
    "run": "ran", "see": "saw", "speak": "spoke", "draw": "drew", "drive": "drove", "choose": "chose",
    "grow": "grew", "know": "knew", "throw": "threw", "break": "broke", "sell": "sold", "tell": "told",
    "win": "won", "lose": "lost", "send": "sent", "spend": "spent", "hold": "held", "keep": "kept",
    "do": "did", "have": "had", "go": "went", "get": "got", "say": "said", "come": "came",
    "become": "became", "rise": "rose", "fall": "fell", "stand": "stood", "found": "founded",
}


def past_form(base: str) -> str:
    """`write` -> `wrote`, `invent` -> `invented`, `propose` -> `proposed`."""
    if base in _IRREGULAR_PAST_OF:
        return _IRREGULAR_PAST_OF[base]
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


def do_support(verb: str, base: str, plural: bool) -> str:
    """The auxiliary a question needs for a plain verb: `rose` -> did, `falls` -> does, `fall` -> do."""
    w = bare(verb)
    if w != base and (w.endswith("ed") or w in IRREGULAR_PAST):
        return "did"
    return "do" if plural or w == base else "does"


def third_person(base: str) -> str:
    """`catch` -> `catches`, `try` -> `tries`, `use` -> `uses`."""
    if base == "have":
        return "has"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence split into subject, verb group and the rest."""

    subject: str
    """The words before the verb (may be empty for a verb-initial fragment)."""
    verb: str
    """The main verb as written (`provides`, `uses`)."""
    base: str
    """Its base form (`provide`); `be` for is/are/was/were."""
    aux: str
    """An auxiliary or modal before it (`can`, `should`, `is` in `is used`), else empty."""
    negated: bool
    """True when the verb group holds a negation (`is not`, `don't`)."""
    rest: str
    """Everything after the verb group (object, complement, adjuncts)."""
    lead: str = ""
    """An opening phrase before the subject (`in 2014` in `in 2014 Delve was created`)."""
    group: str = ""
    """The verb group as written (`should be created`, `is not`)."""

    @property
    def passive(self) -> bool:
        """`is used`, `was created`: a form of be before a past participle."""
        return bare(self.aux) in BE and self.verb != self.aux


MAX_SUBJECT_WORDS = 8
# Auxiliaries, modals and their negated contractions ("doesnt", "isn't").
AUX = BE | HAVE | DO | MODALS | (NEGATIONS - {"no", "not", "never"})
# Words that open a subordinate clause: a verb after one belongs to that clause, not the subject's.
_CLAUSE_OPENERS = frozenset({"that", "which", "who", "whom", "whose", "when", "where", "if", "because",
                             "while", "so", "and", "but", "or"})
_SEMI_MODALS = {"have": "have to", "has": "has to", "had": "had to", "need": "need to",
                "needs": "needs to", "ought": "ought to", "got": "got to"}


def _verb_group(tokens: list[str], i: int) -> tuple[str, str, str, bool, int] | None:
    """At tokens[i]: (aux, verb, base, negated, index after the group) when a verb group starts."""
    w = bare(tokens[i])
    nxt_word = bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
    if w in _SEMI_MODALS and nxt_word == "to" and i + 2 < len(tokens):
        verb = tokens[i + 2]
        return _SEMI_MODALS[w], verb, verb_base(verb) or bare(verb), False, i + 3
    if w in AUX:
        negated = w in NEGATIONS or (w.endswith(("n't", "nt")) and w not in ("want", "went"))
        j = i + 1
        while j < len(tokens) and bare(tokens[j]) in NEGATIONS:
            negated = True
            j += 1
        k = j  # past adverbs only to find a participle or a verb: "is now used", "can quickly get"
        while k < len(tokens) and bare(tokens[k]) in ADVERBS:
            k += 1
        has_be = k < len(tokens) and bare(tokens[k]) in ("be", "been", "have")
        if has_be:
            k += 1
        nxt = (verb_base(tokens[k]) or _unknown_participle(tokens[k])) if k < len(tokens) else None
        after = bare(tokens[k + 1]) if k + 1 < len(tokens) else ""
        adjectival = (w in BE or has_be) and after and after not in _BEFORE_OBJECT \
            and not tokens[k].endswith((",", ";", "."))  # "are typed conduits"
        if nxt and not bare(tokens[k]).endswith("ing") and not adjectival and (
            bare(tokens[k]).endswith("ed") or bare(tokens[k]) in IRREGULAR_PAST
            or (w not in BE | HAVE and not has_be)
        ):
            return tokens[i], tokens[k], nxt, negated, k + 1
        if w in MODALS and not has_be and k < len(tokens) and tokens[k].isalpha() and tokens[k].islower() \
                and bare(tokens[k]) not in DETERMINERS | PREPOSITIONS:
            return tokens[i], tokens[k], bare(tokens[k]), negated, k + 1  # "can cool inflation"
        if has_be:
            return tokens[i], tokens[k - 1], "be", negated, k  # "can be faster": a modal copula
        base = "be" if w in BE else "have" if w in HAVE else "do" if w in DO else w
        return tokens[i], tokens[i], base, negated, j
    base = verb_base(tokens[i])
    if base is None:
        return None
    return "", tokens[i], base, False, i + 1


def _lexical_ok(tokens: list[str], i: int, limit: int) -> bool:
    """Whether a lexical verb candidate at i is the main verb rather than part of the subject."""
    w = bare(tokens[i])
    if w.endswith("ing"):
        return False  # gerunds and participles head noun phrases ("Walking through the AST")
    if i > 0 and tokens[i][:1].isupper():
        return False  # "Transmission Control Protocol", "Federal Reserve": part of a name
    nxt = bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
    if not w.endswith("s") and nxt.endswith("s") and verb_base(nxt) and i + 2 < len(tokens) \
            and bare(tokens[i + 2]) in DETERMINERS | PRONOUNS:
        return False  # "Each PCR cycle doubles the amount": a noun, then its verb
    if i == 0 and w.endswith("s") and nxt and verb_base(nxt) == nxt and not nxt.endswith("s") \
            and tokens[0][:1].isupper():
        return False  # "Switches connect devices", "Leaves fall": a plural noun, then its verb
    later = range(i + 1, limit)
    if i > 0 and w.endswith("s") and i + 2 < limit and verb_base(tokens[i + 1]) \
            and not bare(tokens[i + 1]).endswith(("s", "ing", "ed")) and bare(tokens[i + 2]) in DETERMINERS:
        return False  # "Fast tests lower the bar": the noun comes before the verb
    if i == 0 and tokens[0][:1].isupper():
        # "Hosts files mapped names": a noun phrase, then a past or -s verb of its own
        for k in range(1, min(limit, 4)):
            b = bare(tokens[k])
            if b in DETERMINERS or b in PREPOSITIONS or b in AUX:
                break
            if b.endswith("ed") and (verb_base(b) or _unknown_participle(b)) and k + 1 < len(tokens) \
                    and bare(tokens[k + 1]) not in PREPOSITIONS:
                return False
    if i == 0 and not w.endswith("s"):
        for k in range(1, min(limit, 4)):
            b = bare(tokens[k])
            if b in DETERMINERS or b in PREPOSITIONS:
                break
            if b.endswith("s") and verb_base(b) and k + 1 < len(tokens) and not tokens[k + 1].startswith("("):
                return False  # "Stream processing processes...": a noun phrase, then its verb
    # "Variables declared as X always creates": a reduced relative clause, not the main verb
    return not (i > 0 and w.endswith("ed")
                and any(bare(tokens[k]).endswith("s") and verb_base(tokens[k]) for k in later))


@functools.lru_cache(maxsize=1 << 16)
def clause(sentence: str) -> Clause | None:
    """Split a sentence into subject / verb group / rest, or None when no verb is found.

    The first finite verb within `MAX_SUBJECT_WORDS` words ends the subject. An auxiliary
    (is, has, can, doesn't) wins over an earlier lexical verb unless a clause opener comes
    between (`Test coverage is faked` splits at `is`; `Dapr provides a package that can...`
    at `provides`); a word right after a determiner or preposition is taken as a noun.
    """
    tokens = sentence.split()
    if not tokens:
        return None
    limit = min(len(tokens), MAX_SUBJECT_WORDS + 1)
    aux_at = None
    for k in range(limit):
        b = bare(tokens[k])
        if b in _CLAUSE_OPENERS or tokens[k].endswith((",", ";")) or tokens[k].startswith("("):
            break  # a subordinate clause, a list or an aside in brackets starts here
        semi = b in _SEMI_MODALS and k + 1 < len(tokens) and bare(tokens[k + 1]) == "to"
        if semi or (b in AUX and (k > 0 or b in MODALS)):
            aux_at = k
            break
    depth = 0
    inside: list[bool] = []  # tokens within brackets are an aside: never the main verb
    for t in tokens:
        depth += t.count("(")
        inside.append(depth > 0)
        depth = max(0, depth - t.count(")"))
    for i in range(limit):
        w = bare(tokens[i])
        prev = bare(tokens[i - 1]) if i else ""
        if inside[i]:
            continue
        if aux_at is not None and i != aux_at:
            continue  # "Test coverage is faked": the auxiliary, not the noun-like first word
        relative = prev in ("that", "which", "who") and i >= 2 and w not in AUX  # "an API that takes"
        if i > 0 and (prev in DETERMINERS or prev in PREPOSITIONS) and i != aux_at and not relative:
            continue
        if w in PREPOSITIONS or w in CONJUNCTIONS or w in DETERMINERS or w in PRONOUNS:
            continue
        if i != aux_at and w not in AUX and not _lexical_ok(tokens, i, limit):
            continue
        group = _verb_group(tokens, i)
        if group is None:
            continue
        aux, verb, base, negated, after = group
        subj_tokens = tokens[:i]
        lead: list[str] = []
        if subj_tokens and bare(subj_tokens[0]) in PREPOSITIONS:
            # "in 2014 Delve was created", "In Go you can...": the opening phrase is an adjunct.
            pron = next((k for k, t in enumerate(subj_tokens) if bare(t) in PRONOUNS), None)
            k = 1
            while k < len(subj_tokens) and not subj_tokens[k][:1].isupper() \
                    and bare(subj_tokens[k]) not in DETERMINERS:
                k += 1
            k = pron if pron is not None else k
            lead, subj_tokens = subj_tokens[:k], subj_tokens[k:]
        while subj_tokens and bare(subj_tokens[-1]) in ADVERBS:
            subj_tokens = subj_tokens[:-1]
        subject = " ".join(subj_tokens)
        if i > 0 and not any(c.isalnum() for c in subject):
            return None
        return Clause(subject=clean_phrase(subject), verb=verb, base=base, aux=aux, negated=negated,
                      rest=" ".join(tokens[after:]), lead=" ".join(lead), group=" ".join(tokens[i:after]))
    return None


# --- noun phrases and questions ------------------------------------------------------------------


# Fields of study end in -ics and are singular ("Genetics is..."); other -ics words are plural.
SINGULAR_ICS = frozenset({
    "physics", "mathematics", "economics", "genetics", "linguistics", "statistics", "ethics", "politics",
    "electronics", "robotics", "logistics", "athletics", "acoustics", "optics", "semantics", "phonetics",
    "informatics", "bioinformatics", "genomics", "aerodynamics", "thermodynamics", "mechanics", "dynamics",
    "metaphysics", "aesthetics", "pragmatics", "ergonomics", "analytics",
})


IRREGULAR_PLURALS = frozenset({
    "bacteria", "criteria", "phenomena", "mitochondria", "data", "media", "alumni", "fungi", "nuclei",
    "stimuli", "cacti", "larvae", "algae", "vertebrae", "indices", "matrices", "vertices", "appendices",
    "analyses", "theses", "hypotheses", "crises", "diagnoses", "axes", "formulae", "antennae", "curricula",
    "strata", "people", "children", "men", "women", "mice", "teeth", "feet", "geese", "oxen",
})


def looks_plural(phrase: str) -> bool:
    """Rough number of a noun phrase, from its head noun (the word before `of`/`in`/...)."""
    head = re.split(r"\s+(?:of|in|for|on|with|from|to|by|at|about|under|over|between|that|which|"
                    r"than|like|as)\s+", phrase.strip(), maxsplit=1)[0]
    head = drop_trailing_parenthetical(head)
    toks = head.split()
    if not toks:
        return False
    first = bare(toks[0])
    if first in ("these", "those", "many", "several", "both", "few", "all"):
        return True
    if first in ("a", "an", "this", "that", "each", "every", "one"):
        return False
    last = toks[-1].strip(".,;:()\"“”'’")
    low = last.lower()
    if len(last) > 1 and last[:-1].isupper() and last.endswith("s"):
        return True  # acronym plurals: "APIs", "GPUs"
    if last.isupper() or not low.isalpha():
        return False
    if low in IRREGULAR_PLURALS:
        return True
    if low.endswith(("ss", "us", "is", "ness", "ous")) or low in SINGULAR_ICS:
        return False
    return low.endswith("s")


class Casing:
    """Which capitalised words these notes use as names, from how they appear mid-sentence.

    Seen lower-case mid-sentence: a common word. Seen only capitalised mid-sentence: a name.
    Never seen mid-sentence: unknown (`subject_case` then decides from the phrase itself).
    """

    def __init__(self, texts: Iterable[str]) -> None:
        upper: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        for text in texts:
            for sentence in sentences(text):
                toks = _WORD.findall(sentence)
                for tok in toks[1:]:
                    key = tok.lower()
                    if tok[:1].isupper():
                        upper[key] += 1
                    elif tok[:1].islower():
                        lower[key] += 1
        self._names = {w for w, n in upper.items() if n > lower.get(w, 0)}
        self._common = {w for w, n in lower.items() if n >= upper.get(w, 0)}

    def is_name(self, word: str) -> bool | None:
        """True for a name, False for a common word, None when the notes do not tell."""
        key = word.lower()
        if key in self._names:
            return True
        if key in self._common:
            return False
        return None


def subject_case(subject: str, casing: Casing | None = None, plural: bool | None = None) -> str:
    """Lower-case a sentence-initial common word (`Interfaces in Go` -> `interfaces in Go`).

    Acronyms, camel case and words the notes use as names keep their case. Without evidence
    from the notes, a plural word, a verb-like word or the first of several lower-case words
    is lowered; a lone capitalised singular word is most often a name (`Charm`, `Delve`).
    """
    first, _, rest = subject.partition(" ")
    plain = first[:1].isupper() and (first[1:].islower() or len(first) == 1) and first.isalpha()
    if not plain:
        return subject
    evidence = casing.is_name(first) if casing is not None else None
    # "The Wealth of Nations": a title keeps its article (Title Case around a small word);
    # "The Federal Reserve" is just capitalised, its article is an ordinary "the"
    words_ = rest.split()
    title = len(words_) >= 3 and all(w[:1].isupper() for w in words_ if len(w) > 3) \
        and any(w in ("of", "and", "the", "in", "on") for w in words_[1:-1])
    if title and first == "The":
        return subject
    if first.lower() in _NEVER_NAMES and first != "I":
        evidence = False  # "We", "The", "A": never names
    # "League of Nations", "Bank of England": capitals around "of" make a name
    named = re.match(r"(?:of|and|for|de|von|van)\s+[A-Z]", rest) is not None
    if named:
        lower = False
    elif evidence is None:
        plural = looks_plural(subject) if plural is None else plural
        lower = first.lower() in DETERMINERS or plural or verb_base(first) is not None \
            or rest[:1].islower()
    else:
        lower = not evidence
    if lower:
        first = first.lower()
    return f"{first} {rest}".strip()


def resolve_subject(subject: str, fallback: str | None) -> str | None:
    """A question-ready subject: a lone "it"/"this"/"they" becomes `fallback`; "this X" becomes
    "the X"."""
    ws = subject.split()
    if not ws:
        return fallback
    first = bare(ws[0])
    if first in VAGUE_SUBJECTS:
        if len(ws) == 1:
            return drop_trailing_parenthetical(fallback) if fallback else None
        if first in ("this", "that", "these", "those"):
            return " ".join(["the", *ws[1:]])
    return subject


MAX_SUBJECT_PHRASE = 7
_SUBJECT_BREAKERS = re.compile(r"[,;!?\[\]{}<>|=]|\s[-–—]\s|\.\s")
_WH = frozenset({"how", "why", "what", "when", "where", "who", "which", "if", "whether", "that"})


_LINKING = PREPOSITIONS | CONJUNCTIONS
_SUBJECT_PRONOUNS = PRONOUNS - {"one"}
_NOT_CONTENT = QUESTION_WORDS | DETERMINERS | PREPOSITIONS | CONJUNCTIONS
_NOT_ANSWER_CONTENT = DETERMINERS | PREPOSITIONS | QUESTION_WORDS


def _two_phrases(ws: list[str]) -> bool:
    """`using the Go lib kawa the types`: a second article after a noun starts a new phrase."""
    return any(bare(w) in ARTICLES and k > 1 and bare(ws[k - 1]) not in _LINKING
               for k, w in enumerate(ws))


@functools.lru_cache(maxsize=1 << 14)
def good_subject(subject: str) -> bool:
    """A short term a question can name: no pronoun, clause punctuation or question word."""
    ws = subject.split()
    return (
        0 < len(ws) <= MAX_SUBJECT_PHRASE
        and not any(bare(w) in _SUBJECT_PRONOUNS for w in ws)
        and not _SUBJECT_BREAKERS.search(subject)
        and any(c.isalpha() for c in subject)
        and not any(bare(w) in _WH for w in ws)
        and bare(ws[0]) not in _NOT_SUBJECT_START
        and not _two_phrases(ws)
        and bare(ws[-1]) not in _NOT_SUBJECT_END
        and not subject.rstrip().endswith("?")
    )


def what_question(subject: str, plural: bool | None = None, casing: Casing | None = None) -> str:
    """`What is X?` / `What are X?` with the verb agreeing with the subject."""
    subject = clean_phrase(subject)
    plural = looks_plural(subject) if plural is None else plural
    return f"What {'are' if plural else 'is'} {subject_case(subject, casing, plural)}?"


_SPACED_DASH = re.compile(r"\s+[-–—|]\s+")
_AFFILIATION = re.compile(r"\s*(?:,|\bfrom\b|\bat\b|\bof\b)\s*.*$")


# Words that name a topic or a session, never a person ("Light Reactions", "Morning Session").
_TOPIC_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ism", "ics", "ing", "ence", "ance", "ship", "hood",
                   "ology", "ions", "ure", "ies", "ary", "ogy")
_TOPIC_WORDS = frozenset({
    "introduction", "overview", "basics", "advanced", "part", "session", "day", "morning",
    "afternoon", "evening", "late", "early", "modern", "ancient", "summary", "review", "republic",
    "empire", "war", "age", "era", "period", "chapter", "unit", "module", "lab", "lecture",
    "workshop", "keynote", "panel", "q&a", "break", "lunch", "theory", "practice", "notes", "recap",
    "reactions", "cycle", "system", "systems", "model",
})


_NOT_NAME_WORDS = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | _TOPIC_WORDS


def person_name(text: str) -> bool:
    """True for `Derek Parker`, `Robin Hallabro-Kokko`, `Andy Joseph, ProntoGUI`: 2-4 capitalised
    words that are not common words (`Rotation Testing`, `Light Reactions` are topics)."""
    name = _AFFILIATION.sub("", drop_trailing_parenthetical(text.strip()).rstrip("])")).strip()
    ws = name.split()
    return 2 <= len(ws) <= 4 and all(
        w[:1].isupper() and (not w.isupper() or re.fullmatch(r"[A-Z]\.", w) is not None)
        and verb_base(w) is None
        and bare(w) not in _NOT_NAME_WORDS
        and not (len(bare(w)) > 5 and bare(w).endswith(_TOPIC_SUFFIXES))
        for w in ws
    )


def split_speaker(heading: str) -> tuple[str, str] | None:
    """`Title - Speaker` / `Title | Speaker, Company` -> (title, speaker), else None."""
    parts = _SPACED_DASH.split(heading.strip())
    if len(parts) < 2 or not person_name(parts[-1]):
        return None
    sep = list(_SPACED_DASH.finditer(heading.strip()))[-1]
    title = heading.strip()[: sep.start()].strip()
    speaker = _AFFILIATION.sub("", drop_trailing_parenthetical(parts[-1].strip()).rstrip("])")).strip()
    return (title, speaker) if len(title) >= 4 else None


def topic_of(heading: str) -> str:
    """The topic of a talk-style heading: `Title - Speaker` / `Title | Speaker` -> `Title`."""
    split = split_speaker(heading)
    return split[0] if split else heading.strip()


def has_content(text: str) -> bool:
    """True when the text holds a word beyond question words, articles and prepositions."""
    return any(w and w not in _NOT_CONTENT for w in (bare(t) for t in text.split()))


_CLOZE_DELETION = re.compile(r"\{\{c\d+::.*?\}\}", re.S)


def is_imperative(text: str) -> bool:
    """An instruction: starts with a base-form verb (`Add a table`) or `can`/`should` + verb."""
    c = clause(text)
    if c is None or c.subject:
        return False
    if c.aux:
        return bare(c.aux) in MODALS or c.aux in ("have to", "need to")
    return bare(c.verb) == c.base or bare(c.verb) in ("don't", "dont")


def shares_all_words(question: str, answer: str) -> bool:
    """True when every content word of the answer already appears in the question (cloze
    deletions do not count as showing it)."""
    q = {bare(w) for w in _CLOZE_DELETION.sub(" ", question).split()}
    a = [b for b in (bare(w) for w in answer.split()) if b and b not in _NOT_ANSWER_CONTENT]
    return bool(a) and all(w in q for w in a)
