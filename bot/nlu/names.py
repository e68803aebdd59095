"""First names from an answer: "moi c'est Lina", "jm'appelle kevin"."""

from __future__ import annotations

import re
import unicodedata

from bot.nlu.normalise import APOSTROPHES, LATIN_VOWELS, normalize

_NAME_MAX_CHARS = 300
_NAME_MAX_LEN = 40


def _fold_char(c: str) -> str:
    """One-to-one fold of a character (lowercase, no accent, apostrophes unified)."""
    if c in APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFKD", c)[:1] or c
    low = base.lower()[:1] or base
    return low


_NAME_GREETING_RE = re.compile(
    r"^(?:salut|slt|bonjour|bjr|bonsoir|bsr|coucou|cc|hello|hey|hi|yo|wesh|wsh|re|ok|oui"
    r"|ouais|alors|bah|ben|euh|bien sur|enchante|enchantee|moi aussi)(?:[\s,!.]+|$)"
)
_NAME_PREFIX_RE = re.compile(
    r"^(?:"
    r"(?:moi\s*,?\s*)?(?:je\s*m\s*'?\s*|j\s*'?\s*m\s*'?\s*|jm\s*'?\s*)a?p{1,2}e+l{1,2}e?s?\b"
    r"|(?:mon\s+|le\s+)?(?:prenom|prnom|pr[eé]nom|nom|blaze|pseudo|surnom|name)"
    r"(?:\s*(?:c\s*'?\s*est|cest|c|est|ce|is))?"
    r"|on\s+m\s*'?\s*a?p+e+l+e?s?\b"
    r"|(?:tu\s+peux\s+|vous\s+pouvez\s+|tu\s+peux\s+juste\s+)?m\s*'?\s*a?p+e+l+e+r\b"
    r"|a?p+e+l+e?[zs]?\s*-?\s*moi\b"
    r"|moi\s*,?\s*(?:c\s*'?\s*est|cest|c|ces|se)\b"
    r"|moi\b"
    r"|(?:c\s*'?\s*est|cest|c|ces|ce\s+est)\b"
    r"|je\s+suis|jsuis|j\s*'?\s*suis|chui|chuis|jsui|i\s*'?\s*m|my\s+name\s+is"
    r")\s*(?:[:=,\-]\s*|\s)"
)
_NAME_CUT_RE = re.compile(
    r"\s+(?:et\s+(?:toi|vous|t\s*'?\s*es|tu)\b|et\b|ou\b|mais\b|pour\b|sinon\b|aka\b|alias\b|j\s*'?\s*ai\b|jai\b|g\b|merci\b|stp\b"
    r"|svp\b|lol\b|mdr\b|ptdr\b|xd\b|voila\b|enchante|j\s*'?\s*habite|jhabite|je\s+vis"
    r"|j\s*'?\s*suis\b|je\s+suis\b|jsuis\b|de\s+(?:bar|verdun|stenay|commercy)|\d)"
    r"|[,;!?\n\r\t()\[\]{}<>|/\\\"“”«»:]|\s-\s|\.(?:\s|$)|\s+:"
)
_NAME_LINK_RE = re.compile(
    r"https?:|www\.|@|\b[\w-]+\.(?:com|fr|net|org|io|be|ly|me|gg|tv|co|info|eu|app|lu|de)\b",
)
_NAME_STOPWORDS = frozenset(
    """
    je j tu il elle on nous vous ils elles le la les un une des du de d et ou mais donc
    pas ne n que qui quoi pourquoi comment oui non ouais nan ok okay salut bonjour bonsoir
    coucou hello merci stp svp jsp sais sait veux peux suis es est ai as a moi toi rien
    personne anonyme inconnu inconnue test lol mdr ptdr xd bot robot stop aide help hein
    bien mal ca cava va jsuis chui dire nom prenom pseudo secret aucun aucune sur avec pour
    dans mon ma mes ton ta tes son sa ses c cest y en the my name is what no yes quoi
    pk pq prq arrete jamais voila bah ben euh bof mec frere wesh wsh slt cc bjr ah oh eh
    sa se s m t l qu si ici la bas lui leur vrai faux deja encore toujours envie
    besoin cherche taf boulot travail formation
    """.split()
)


def _capitalise(word: str) -> str:
    parts = re.split(r"([\-' ])", word)
    out = []
    for part in parts:
        if part in {"-", "'", " "} or not part:
            out.append(part)
        elif part.islower() or part.isupper():
            out.append(part[:1].upper() + part[1:].lower())
        else:
            out.append(part[:1].upper() + part[1:])
    return "".join(out)


def parse_first_name(text: str) -> tuple[str | None, str | None]:
    """Extract a first name: ``(name, None)`` or ``(None, reason)``.

    reason is one of "empty", "too_long", "digits", "link", "not_a_name".
    """
    if not isinstance(text, str):
        return None, "empty"
    raw = unicodedata.normalize("NFC", text[: _NAME_MAX_CHARS * 4]).strip()
    if not any(c.isalnum() for c in raw[:_NAME_MAX_CHARS]):
        return None, "empty"
    if len(raw) > _NAME_MAX_CHARS:
        return None, "too_long"
    low = raw.casefold()
    if _NAME_LINK_RE.search(low):
        return None, "link"
    if not any(c.isalpha() for c in raw):
        return None, "digits"
    from bot.flows.parsers import detect_intent  # intents live beside the flow for now

    if detect_intent(raw) is not None:
        return None, "not_a_name"

    folded = "".join(_fold_char(c) for c in raw)
    start = 0
    for _ in range(4):
        rest = folded[start:]
        intro = _NAME_PREFIX_RE.match(rest)
        m = _NAME_GREETING_RE.match(rest) or intro
        if m is None or m.end() == 0:
            break
        remaining = rest[m.end() :]
        if not any(c.isalnum() for c in remaining):
            if m is intro:
                return None, "empty"  # "je m'appelle 😊"
            break
        start += m.end()
    while start < len(folded) and not folded[start].isalnum():
        start += 1
    cut = _NAME_CUT_RE.search(folded, start)
    end = cut.start() if cut else len(raw)
    candidate = raw[start:end]

    # Keep letters, marks, digits, hyphens, apostrophes; everything else is a space.
    chars = []
    for c in candidate:
        if c in APOSTROPHES:
            chars.append("'")
        elif c == "-" or c.isalnum() or unicodedata.category(c).startswith("M"):
            chars.append(c)
        else:
            chars.append(" ")
    words = []
    for w in "".join(chars).split():
        w = w.strip("-'")
        if w:
            words.append(w)
    if not words:
        return None, "empty"
    if any(any(ch.isdigit() for ch in w) for w in words):
        return None, "digits"
    while len(words) > 1 and len(words[-1]) == 1:
        words.pop()  # trailing initial: "Lina M."
    if len(words) > 4:
        return None, "not_a_name"
    folded_words = [normalize(w.replace("'", "")) for w in words]
    for fw in folded_words:
        for token in fw.split():
            if token in _NAME_STOPWORDS:
                return None, "not_a_name"
    letters = normalize("".join(words)).replace(" ", "")
    if len(letters) < 2 or len(set(letters)) == 1 or len("".join(words)) < 2:
        return None, "not_a_name"
    for fw in folded_words:
        vowelless = fw.isascii() and fw.isalpha() and not (set(fw) & LATIN_VOWELS)
        if vowelless and (len(fw) > 2 or len(folded_words) == 1):
            return None, "not_a_name"  # keyboard mash: "qsdfgh"
    name = _capitalise(" ".join(words))
    if len(name) > _NAME_MAX_LEN:
        return None, "too_long"
    return name, None
