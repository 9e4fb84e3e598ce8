"""Small English word lists the extractors share: verbs, function words, opinion markers.

No tagger or model: notes are short fragments where a lexicon of common words, plus
suffix rules, tells verbs from nouns well enough, and it runs anywhere, offline, fast.
"""

from __future__ import annotations

# Base forms of verbs common in lecture, book and talk notes.
VERBS = frozenset("""
preheat punch knead simmer whisk bake boil chop dice season marinate rinse peel grate mince drain saute
fry grill roast steam double sift fold toast brew ferment proof rest blanch sear stew baste glaze
garnish accept access accredit achieve act add address adjust agree aim allocate allow analyse analyze
answer appear apply argue arrange ask assign assume attach attempt avoid base become begin believe belong
bind block boost break bridge bring build call cancel capture care carry catch cause change check choose
claim clean clear close collect combine come compare compile complete compute concern configure connect
consider consist construct consume contain continue control convert copy correct cost count crack create
credit cut deal decide declare decode decrease deduplicate define delete deliver depend deploy describe
design destroy detect determine develop die differ disable discover display distribute divide do document
drive drop earn eat embed emit enable encode encourage encrypt end enforce ensure enter escape establish
evaluate execute exist expand expect explain export expose express extend extract fail fall fetch fight
fill filter find finish fit fix flush focus follow force fork form free gain generate get give go grow
guard guide handle hang happen hash have help hide hit hold identify ignore implement import improve
include increase indicate inherit initialize inject inline insert install instantiate instrument
integrate intend introduce invoke involve isolate iterate join jump keep kill know lack last launch lead
learn leave lend let lie limit link listen live load lock log look lose lower maintain make manage map
mark match matter mean measure meet merge migrate mimic minimize miss mock model modify monitor move
multiply mutate name need notice notify observe obtain occur offer open operate optimize order organize
overcomplicate own parse pass pause pay perform permit pick place plan play point predict prefer prepare
present preserve prevent print process produce program promise protect prove provide publish pull push
put query raise range reach react read realize receive recognize recommend record recover reduce refactor
refer reflect register regulate reject relate release relieve rely remain remember remove render repeat
replace replicate report represent request require reset resolve respond restore restrict result retain
retry return reuse reveal review rewrite rise roll rotate route rule run save say scale scan schedule
search secure see seek seem select sell send separate serialize serve set share shift shorten show shrink
sign simplify sit sleep slow solve sort sound spawn speak specify speed spend split stand start state
stay step stop store stream stress structure study submit succeed suffer suggest suit supply support
suppose survive switch sync take talk target teach tell tend terminate test think throttle throw tie
tokenize touch track trade train transfer transform translate trap travel treat trigger trust try turn
type understand unify unlock unmarshal update upgrade use utilize validate vary verify view visit wait
walk want warn wash watch wear work wrap write yield absorb accelerate accumulate acquire activate adapt
adopt advance advise affect aggregate alert align alter amplify anticipate append approve approximate
archive arise assemble assess assist associate attract authenticate authorize automate balance bend
benefit blend borrow bounce branch breathe broadcast browse buffer burn calculate calibrate capitalize
carve celebrate certify chase cheat chill clarify classify climb clone cluster coat collapse colonize
commit communicate compete complain compose compress conclude conduct confirm conquer conserve constrain
contribute convince cook cooperate coordinate cope correlate crash crawl crush cure damage debug decay
decline decompose decorate decrypt defeat defend delay delegate demand demonstrate deny derive descend
deserve detach devote diagnose dictate diffuse digest dilute direct disappear discard discuss dispatch
dispose dissolve distinguish dominate download draw dump duplicate elect eliminate embrace emerge
emphasize employ empty emulate encapsulate encounter endorse engage enhance enjoy enrich enroll entitle
erase erode estimate evolve examine exchange exclude exhibit expire exploit explore fade feed feel
finance flatten flip float flow forbid forecast forget forgive format forward found freeze fund fuse
gather generalize glue govern grab grant greet grind guarantee halt hate heal hear heat hope host hurt
illustrate imagine imitate impact impose imprison incorporate infer inflate influence inform inhibit
initiate insist inspect inspire instruct insulate intercept interpret interrupt invade invest investigate
justify lay linger locate maximize melt mention narrow navigate negotiate normalize obey occupy omit
oppose orbit overflow overlap overwrite parallelize participate partition penetrate persist please plug
poll pollute populate possess practise practice praise precede prescribe pretend prioritize proceed
profile progress prohibit project promote prompt propagate provoke prune pump punish purchase pursue
qualify quantify queue quit reason rebuild recall reconcile recycle redirect refresh refuse regenerate
reign reinforce relocate remind rename reorder repair reproduce rescue reserve resemble resist respect
restart resume retire retrieve revert revise revolve reward ride ripen satisfy scatter scrape secrete
segment seize sense sharpen shine shuffle smooth sneak solidify spill stabilize steer stimulate
strengthen stretch strike subscribe substitute subtract summarize supervise surround suspend swallow swap
sweep synchronize synthesize tease thrive tighten toggle tolerate transcribe transmit transport tune
undergo undo unpack unwind upload urge vanish ventilate withdraw wonder worry wrestle
""".split())

IRREGULAR_PAST = {
    "built": "build", "written": "write", "wrote": "write", "made": "make", "done": "do", "did": "do",
    "known": "know", "knew": "know", "given": "give", "gave": "give", "taken": "take", "took": "take",
    "seen": "see", "saw": "see", "shown": "show", "kept": "keep", "held": "hold", "sent": "send",
    "found": "find", "thought": "think", "brought": "bring", "led": "lead", "left": "leave",
    "meant": "mean", "chosen": "choose", "chose": "choose", "driven": "drive", "grown": "grow",
    "grew": "grow", "thrown": "throw", "threw": "throw", "broken": "break", "broke": "break",
    "spoken": "speak", "hidden": "hide", "told": "tell", "paid": "pay", "taught": "teach",
    "caught": "catch", "sought": "seek", "spent": "spend", "lost": "lose", "won": "win", "began": "begin",
    "begun": "begin", "became": "become", "came": "come", "gone": "go", "went": "go", "got": "get",
    "gotten": "get", "had": "have", "ran": "run", "rewritten": "rewrite", "understood": "understand",
    "stood": "stand", "fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise", "said": "say",
    "sold": "sell", "bound": "bind", "fed": "feed", "felt": "feel", "forgot": "forget",
    "forgotten": "forget", "lent": "lend", "lay": "lie", "met": "meet", "sat": "sit", "slept": "sleep",
    "spun": "spin", "struck": "strike", "stuck": "stick", "swept": "sweep", "woke": "wake",
}
BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s"})
HAVE = frozenset({"has", "have", "had"})
DO = frozenset({"does", "do", "did"})
MODALS = frozenset({"can", "could", "should", "must", "will", "would", "may", "might", "shall", "cannot",
                    "can't", "cant", "won't", "shouldn't", "shouldnt", "mustn't", "couldn't"})
NEGATIONS = frozenset({"not", "never", "no", "n't", "isn't", "isnt", "aren't", "arent", "doesn't",
                       "doesnt", "don't", "dont", "didn't", "didnt", "wasn't", "wasnt", "cannot",
                       "can't", "cant", "won't", "shouldn't", "shouldnt"})
ARTICLES = frozenset({"a", "an", "the"})
DETERMINERS = ARTICLES | frozenset({
    "this", "that", "these", "those", "some", "any", "each", "every", "all", "both", "no", "many", "much",
    "more", "most", "few", "several", "other", "another", "such", "its", "their", "our", "your", "my",
    "his", "her",
})
PREPOSITIONS = frozenset({
    "of", "in", "on", "at", "by", "for", "with", "without", "from", "to", "into", "onto", "over", "under",
    "about", "between", "through", "during", "before", "after", "via", "per", "across", "against",
    "among", "around", "behind", "beyond", "inside", "outside", "within", "towards", "toward", "upon",
    "like", "than", "as",
})
CONJUNCTIONS = frozenset({"and", "or", "but", "nor", "so", "yet", "because", "although", "though",
                          "however", "while", "whereas", "if", "unless", "until", "since", "when"})
PRONOUNS = frozenset({
    "i", "you", "he", "she", "it", "we", "they", "this", "that", "these", "those", "there", "here",
    "someone", "something", "one", "me", "him", "her", "us", "them", "everyone", "everything",
    "nothing", "anyone", "anything",
})
# Subjects that need resolving from the surrounding notes before a question can name them.
VAGUE_SUBJECTS = frozenset({"it", "this", "that", "they", "these", "those", "them", "its", "their"})
ADVERBS = frozenset({
    "also", "always", "never", "often", "usually", "sometimes", "still", "now", "then", "just", "only",
    "really", "very", "quite", "rather", "too", "already", "even", "ever", "generally", "typically",
    "mostly", "mainly", "originally", "finally", "actually", "basically", "simply", "essentially",
    "easily", "quickly", "highly", "fully", "explicitly", "automatically", "directly", "first", "later",
    "once", "recently", "initially", "previously", "widely", "commonly", "largely",
})
# Subjects that point at the page or the moment rather than name a thing ("The answer is 42").
DEICTIC = frozenset({"today", "tomorrow", "yesterday", "below", "above", "following", "previous", "answer",
                     "result", "thing", "things", "stuff", "point", "idea", "example", "section",
                     "sections", "slide", "slides", "page", "chapter", "lecture", "homework", "exam"})
# Sentence starts and words that mark a personal reaction, an aside or a summary, not a fact.
OPINION_STARTS = ("tldr", "tl;dr", "tl dr", "note to self", "todo", "fixme", "imo", "imho", "btw",
                  "looks like", "seems like", "sounds like", "finally", "kinda", "the end", "wow", "lol",
                  "interesting", "great talk", "good talk", "cool talk")
OPINION_WORDS = frozenset({
    "i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "myself", "kinda", "lol", "wow",
    "lmao", "haha", "meh", "ugh", "yay", "omg",
})
