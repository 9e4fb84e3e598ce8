"""Verb forms and clause splitting: the English grammar behind every generated question.

`clause` splits a sentence into subject, verb group and rest; the verb helpers find a verb's
base form and inflect it for the question (`did`, `does`, `wrote`). `language` re-exports them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .lexicon import (
    ADVERBS,
    BE,
    CONJUNCTIONS,
    DETERMINERS,
    DO,
    HAVE,
    IRREGULAR_PAST,
    MODALS,
    NEGATIONS,
    PREPOSITIONS,
    PRONOUNS,
    VERBS,
)
from .phrases import bare, clean_phrase

# Tested word by word while splitting clauses, so the union is built once.
_BEFORE_OBJECT = PREPOSITIONS | DETERMINERS | CONJUNCTIONS | {"to", "as"}


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
    lexical = verb_base(tokens[i])
    if lexical is None:
        return None
    return "", tokens[i], lexical, False, i + 1


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
