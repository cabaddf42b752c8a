"""The English lexical evidence of a passage: content-word lemmas (spelling folded), concepts of a
small news thesaurus, entity keys (demonyms and capitals -> country, persons by surname) and
date/number keys; the rule-based lemmatiser of the no-spaCy path."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

_w = frozenset
_pairs = lambda block: {k.replace("_", " "): v  # noqa: E731  ('key:value ...', _ = space)
                        for k, v in (x.split(":") if ":" in x else (x, x) for x in block.split())}
# Function words, reporting verbs and fillers (spaCy's list would also drop
# content-bearing words such as "first", "serious", "former").
_STOP = _w("""a about above after again against all also although am an and any are as at be
because been before being below between both but by can could did do does doing down during each
either else ever few for from further had has have having he her here hers herself him himself
his how however i if in into is it its itself just least less many me might more most much must my
myself neither nor not now of off on once only or other our ours ourselves out over own per perhaps
quite rather same shall she should so some such than that the their theirs them themselves then
there these they this those though through thus till to too toward towards under until up upon us
very was we were what whatever when where whether which while who whom whose why will with within
without would yet you your yours yourself one ones another anything something nothing everything
mr mrs ms dr say tell add explain stress note according suggest conclude remind mention claim
believe think seem become get make take give go come well even still already really besides
meanwhile furthermore namely instance turn case side lot way thing part kind sort bit""".split())
_ORDINALS = _w("first second third fourth fifth sixth seventh eighth ninth tenth last".split())
_CONTENT_POS, _NUMERIC_LABELS = _w("NOUN PROPN VERB ADJ ADV".split()), _w(
    "DATE TIME CARDINAL MONEY PERCENT QUANTITY".split())
_ENTITY_LABELS = _w("PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE".split())
# Multi-word names (matched in the text, "-" or " " between words).
_LEXICAL_PHRASES = _pairs("""prime_minister foreign_minister defense_minister peace_treaty
defence_minister:defense_minister missile_defense missile_defence:missile_defense
anti_missile:missile_defense""")
_PHRASES = _LEXICAL_PHRASES | _pairs("""united_states_of_america:us united_states:us u.s.a.:us
u.s.:us united_kingdom:britain great_britain:britain group_of_seven:g7 g_7:g7 group_of_eight:g8
g_8:g8 group_of_twenty:g20 g_20:g20 north_korea:dprk democratic_people's_republic_of_korea:dprk
south_korea:rok republic_of_korea:rok people's_republic_of_china:china russian_federation:russia
soviet_union:ussr northern_territories:kuril kuril_islands:kuril kurile_islands:kuril
european_union:eu un_security_council:unsc united_nations_security_council:unsc
security_council:unsc united_nations:un south_china_sea east_china_sea asia_pacific""")
_PHRASE_LEXICAL = _w(_LEXICAL_PHRASES.values())
_squash = lambda s: re.sub(r"[\s\-]+", " ", s)  # noqa: E731
_PHRASE_KEYS = {_squash(k): v for k, v in _PHRASES.items()}
_PHRASE_RE = re.compile(r"(?<!\w)(" + "|".join(
    re.escape(k).replace(r"\ ", r"[\s\-]+") for k in sorted(_PHRASE_KEYS, key=len, reverse=True))
    + r")(?:e?s)?(?:['’]s)?(?!\w)", re.I)
# Demonyms and name variants; seats of government standing for the country.
_TOKEN_ALIASES = _pairs("""american:us usa:us america:us russian:russia japanese:japan
chinese:china prc:china korean:korea ukrainian:ukraine crimean:crimea british:britain uk:britain
french:france german:germany indian:india australian:australia syrian:syria italian:italy
soviet:ussr western:west european:europe kuriles:kuril kurils:kuril kurile:kuril diaoyu:senkaku
g7:g7 g8:g8 g20:g20 washington:us moscow:russia kremlin:russia tokyo:japan beijing:china
pyongyang:dprk seoul:rok kiev:ukraine kyiv:ukraine london:britain paris:france berlin:germany
delhi:india canberra:australia damascus:syria rome:italy brussels:eu""")
_ALIAS_KEYS = _w(_TOKEN_ALIASES.values())
# A small thesaurus of international-news vocabulary: concepts separated by ";",
# lemmas after spelling folding, from general usage of wire and diplomatic copy.
_THESAURUS = """
talk dialogue consultation negotiation meeting summit session conference discussion round format
framework 2plus2 mechanism ; resume resumption restart renew renewal revive revival reopen ; halt
suspend suspension freeze stop break hiatus pause interrupt interruption cancel ; outcome result
achievement substance breakthrough progress deliverable accomplishment ; substantial substantive
concrete tangible significant meaningful ; symbolic symbol visual optics gesture status token ;
show demonstrate prove signal display indicate reveal ; object objection oppose opposition
criticize criticism complaint complain protest condemn condemnation denounce ; concern worry wary
wariness apprehension fear anxiety anxious unease alarm ; disagree disagreement differ difference
dispute row rift quarrel contention contentious ; agree agreement consensus accord concur ; refuse
decline reject rebuff deny ; comment discuss raise address ; threat threaten menace danger
dangerous risk ; visit trip tour travel ; fight combat counter counteract tackle curb combating ;
terrorism terrorist extremism extremist militant ; trafficking smuggling smuggle traffic ; drug
narcotic narcotics ; sanction embargo restriction penalty ; annexation annex seizure takeover
incorporate incorporation seize ; crisis conflict war tension standoff ; relation relationship tie
bond rapport partnership ; improve improvement improved better warm warming rapprochement thaw
strengthen enhance deepen boost ; weaken undermine erode divide split wedge ; unite united unity
solidarity cohesion ; isolate isolation isolated ostracize ; economic economy ; cooperation
cooperate collaboration collaborate joint common ; project proposal initiative plan scheme program
programme ; island isle islet archipelago ; territory territorial land ; treaty pact convention ;
military army troop armed soldier force ; deploy deployment station stationing placement ; official
officer diplomat envoy representative ; country nation state ; leader president premier head ;
policy stance position attitude approach line posture ; unclear uncertain uncertainty ambiguous
vague unpredictable ; important crucial vital key essential value valuable priority ; benefit
advantage gain useful beneficial profit ; hope expect expectation aspire aspiration wish ;
influence affect impact shape ; contact communication connection ; resign resignation quit oust
dismiss ; adviser advisor aide associate ; election campaign vote poll ; sovereignty jurisdiction
control ; law legal legislation lawful ; invest investment investor capital money fund finance
financial ; aid assistance help support ; trade commerce commercial business export import ;
nuclear atomic ; launch test fire firing ; warn warning caution urge ; upcoming forthcoming coming
planned scheduled next future prospective ; confirm announce reaffirm affirm ; analyst expert
scholar specialist observer ; sign signing conclude conclusion
"""
_CONCEPT = {w: "~" + g.split()[0] for g in reversed(_THESAURUS.split(";")) for w in g.split()}
_SPELLING = (("defence", "defense"), ("offence", "offense"), ("licence", "license"),
             ("isation", "ization"), ("ise", "ize"), ("yse", "yze"), ("our", "or"),
             ("tre", "ter"), ("ogue", "og"))
_SPELLING_KEEP = _w("otherwise enterprise exercise compromise expertise surprise dialogue".split())
_MONTHS = {m: i % 12 + 1 for i, m in enumerate(
    "january february march april may june july august september october november december "
    "jan feb mar apr _ jun jul aug sep oct nov dec".split())} | {"sept": 9}
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())} | {"hundred": 100, "dozen": 12} | {
    w: 10 * i for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)}
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE_MD = re.compile(rf"(?:({_WDAY}),?\s+)?({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"
                      rf"(?:,?\s+(\d{{4}})\b)?")
_DATE_DM = re.compile(rf"(?:({_WDAY}),?\s+)?\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                      rf"({_MON})(?:,?\s+(\d{{4}})\b)?")
_DATE_MY = re.compile(rf"({_MON})\s+(?:of\s+)?(\d{{4}})\b")
_MONTH_ONLY = re.compile(rf"\b({_MON})(?=\W|$)")
_WEEKDAY = re.compile(rf"\b({_WDAY})\b")
_YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,])")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)(?!\d)")
_NUMWORD = re.compile(r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b",
                      re.I)
_FIRST_SINCE = re.compile(r"\bfirst\b(?:\W+\w+){0,10}?\W+(?:since|in\s+(?:(?:over|more\s+than|"
                          r"the\s+past|the\s+last|almost|nearly)\s+)?\w+\s+"
                          r"(?:years|decades|months))\b", re.I)
_NUMERIC_HINT = re.compile(rf"\d|{_MON}|{_WDAY}|(?i:\b(?:{'|'.join(_NUMBER_WORDS)})\b)")
_PLUS_FORMAT = re.compile(r"\b(\w+)\s*(?:\+|-plus-|\s+plus\s+)\s*(\w+)\b", re.I)
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*\.?")
_ABBREV = _w("""mr mrs ms dr prof st gen col lt sen rep gov jr sr inc ltd co corp vs no jan feb
mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split())


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").lower()


@lru_cache(maxsize=1 << 16)
def _term(lemma: str) -> str:
    word = _fold(lemma).strip("'-.")
    if word not in _SPELLING_KEEP and len(word) >= 6:
        for brit, amer in _SPELLING:
            if word.endswith(brit) and (brit != "ise" or len(word) >= 8):
                return word[: -len(brit)] + amer
    return word


@lru_cache(maxsize=1 << 16)
def _entity_keys(surface: str) -> tuple[str, ...]:
    """Name-token keys: y->i, no double letters; demonyms, capitals -> country."""
    out = []
    for tok in re.split(r"[^a-z0-9]+", re.sub(r"'s$", "", _fold(surface)).replace(".", "")):
        if tok and tok not in ("the", "of", "and", "s", "island", "islands"):
            tok = _TOKEN_ALIASES.get(tok, tok)
            out.append(tok if tok in _ALIAS_KEYS or len(tok) <= 3
                       else re.sub(r"(.)\1+", r"\1", tok.replace("y", "i")))
    return tuple(out)


def _number_value(tok: str) -> str:
    tok = tok.lower()
    return str(_NUMBER_WORDS[tok]) if tok in _NUMBER_WORDS else tok.replace(",", "")


def _claims(text: str) -> list[tuple[int, int, str, str]]:
    """Multi-word names and N+N formats in a passage: (start, end, kind, key)."""
    out = []
    for m in _PLUS_FORMAT.finditer(text):
        a, b = _number_value(m.group(1)), _number_value(m.group(2))
        if a.isdigit() and b.isdigit():
            out.append((m.start(), m.end(), "lemma", f"{a}plus{b}"))
    for m in _PHRASE_RE.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e, _, _ in out):
            key = _squash(_fold(m.group(1)))
            key = _PHRASE_KEYS.get(key, key)
            out.append((m.start(), m.end(), "lemma" if key in _PHRASE_LEXICAL else "entity", key))
    return out


def _number_features(text: str, claimed) -> list[tuple[str, str]]:
    """Date and number keys of a passage, as (key, surface) pairs."""
    if not _NUMERIC_HINT.search(text):
        return []
    feats, taken = [], bytearray(len(text))
    for s, e, _, _ in claimed:
        taken[s:e] = b"\1" * (e - s)

    def claim(m: re.Match) -> bool:
        free = not any(taken[m.start():m.end()])
        if free:
            taken[m.start():m.end()] = b"\1" * (m.end() - m.start())
        return free

    month = lambda name: _MONTHS[name.lower().rstrip(".")]   # noqa: E731
    for rx, md in ((_DATE_MD, True), (_DATE_DM, False)):
        for m in rx.finditer(text):
            wd, x, y, year = m.groups()
            mon, day = (month(x), int(y)) if md else (month(y), int(x))
            if 1 <= day <= 31 and claim(m):
                feats.append((f"md:{mon:02d}-{day:02d}", m.group(0)))
                feats += ([(f"y:{year}", year)] if year else []) + \
                    ([(f"wd:{wd.lower()}", wd)] if wd else [])
    for m in _DATE_MY.finditer(text):
        if claim(m):
            feats += [(f"ym:{m.group(2)}-{month(m.group(1)):02d}", m.group(0)),
                      (f"y:{m.group(2)}", m.group(2))]
    for m in _MONTH_ONLY.finditer(text):
        if (m.group(1) != "May" or re.search(r"\b(?:in|last|next|since|of|early|late|mid|until|by)"
                                             r"\W*$", text[: m.start()])) and claim(m):
            feats.append((f"m:{month(m.group(1)):02d}", m.group(1)))
    for rx, prefix in ((_WEEKDAY, "wd"), (_YEAR, "y"), (_NUMBER, "n"), (_NUMWORD, "n")):
        for m in rx.finditer(text):
            value = _number_value(m.group(1)) if prefix == "n" else m.group(1).lower()
            if claim(m) and value not in ("0", "1"):
                feats.append((f"{prefix}:{value}", m.group(1)))
    return feats



@dataclass
class _Passage:
    article: int
    start: int
    end: int
    text: str
    lemmas: list = field(default_factory=list)
    concepts: list = field(default_factory=list)
    entities: list = field(default_factory=list)   # (key, surface)
    numbers: list = field(default_factory=list)    # (key, surface)
    n_content: int = 0
    language: str = "en"
    actors: list = field(default_factory=list)     # (canonical actor, surface), any language
    xnumbers: list = field(default_factory=list)   # (digits value, surface), any language


def _passage(article: int, text: str, s: int, e: int, toks: list) -> _Passage:
    """Features of text[s:e]; toks: (offset, text, lemma, pos, entity, last of a name?)."""
    p = _Passage(article, s, e, text[s:e])
    claims = _claims(p.text)
    for a, b, kind, key in claims:
        p.n_content += 1
        if kind == "lemma":
            p.lemmas.append(key)
            p.concepts.append(_CONCEPT.get(key, key))
        else:
            p.entities.append((key, p.text[a:b]))
    for idx, word, lemma, pos, ent, last_of_name in toks:
        if claims and any(a <= idx - s < b for a, b, _, _ in claims):
            continue
        low = _fold(word)
        if low in _ORDINALS:
            p.n_content += 1
            p.lemmas.append(low)
        elif (low.replace(",", "").replace(".", "").isdigit() or low in _NUMBER_WORDS
              or pos == "NUM" or ent in _NUMERIC_LABELS):
            p.n_content += any(c.isalnum() for c in low)
        elif word[:1].isupper() and (pos in ("PROPN", "") or (
                ent in _ENTITY_LABELS and pos not in ("VERB", "PRON"))):
            keys = _entity_keys(word)
            p.n_content += bool(keys)
            p.entities.extend((k, word) for k in keys if last_of_name)
        elif pos in _CONTENT_POS and (lem := _term(lemma)) not in _STOP \
                and any(c.isalpha() for c in lem):
            p.n_content += 1
            p.lemmas.append(lem)
            p.concepts.append(_CONCEPT.get(lem, lem))
    p.concepts += ["~resume"] if _FIRST_SINCE.search(p.text) else []
    p.numbers = _number_features(p.text, claims)
    return p



def _rule_lemma(w: str) -> str:
    """Crude inflection stripping for the no-spaCy path."""
    m = re.match(r"(.{3,}?)(sses|ies|ied|ing|ed|s)$", w)
    if m and not w.endswith(("ss", "us", "is")) and (m[2] not in ("ing", "ed") or len(m[1]) > 3):
        return m[1] + {"sses": "ss", "ies": "y", "ied": "y"}.get(m[2], "")
    return w

