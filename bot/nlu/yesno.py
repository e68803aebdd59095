"""Yes / no answers: "ouais", "grave", "👍", "nan", "pas du tout"."""

from __future__ import annotations

import re

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze

_YES_EMOJI = ("👍", "👌", "✅", "🆗", "✔", "☑", "💯", "🙆", "🤙")
_NO_EMOJI = ("👎", "❌", "🙅", "✖", "⛔", "🚫", "❎")

# (phrase regex, polarity, weak). Weak phrases only count when alone or
# followed exclusively by other phrases / neutral words.
_YES_PHRASES = (
    r"ou+i+",
    r"ou+a+i+s*",
    r"ou+e+s*",
    r"ou+a+i*p+",
    r"ou+e+p+",
    r"w+i+",
    r"w+e+s*",
    r"wai+s*",
    r"u+i+",
    r"owi+",
    r"yes+",
    r"ye+a+h*",
    r"ye+p+",
    r"yu+p+",
    r"ya+",
    r"ok+",
    r"okok",
    r"o+k+a+y+",
    r"oki+",
    r"okidoki",
    r"okay",
    r"dac+",
    r"dak",
    r"d ac+",
    r"d ac+ord",
    r"dac+ord",
    r"d ac+or",
    r"dac+or",
    r"dacodac",
    r"grave",
    r"exact",
    r"exacte",
    r"exactement",
    r"exactos",
    r"bien sur",
    r"biensur",
    r"bien sure",
    r"evidem+ent",
    r"car+ement",
    r"volontiers",
    r"c bon",
    r"c est bon",
    r"cest bon",
    r"c ok",
    r"c est ok",
    r"ca marche",
    r"sa marche",
    r"ca roule",
    r"ca me va",
    r"ca me convient",
    r"ca joue",
    r"ca va",
    r"vas y",
    r"vasy",
    r"certainement",
    r"absolument",
    r"tout a fait",
    r"avec plaisir",
    r"pourquoi pas",
    r"je veux bien",
    r"jveux bien",
    r"j veux bien",
    r"voila",
    r"c est ca",
    r"c ca",
    r"cest ca",
    r"affirmatif",
    r"sure",
    r"of course",
    r"tkt",
    r"pas de souc(?:i|is|y)",
    r"pas d souc(?:i|is)",
    r"pas de (?:probleme|prob|pb|blem|soucis)",
    r"sans (?:probleme|souci|soucis)",
    r"aucun (?:probleme|souci)",
    r"c est juste",
    r"c vrai",
    r"c est vrai",
    r"c est correct",
    r"je confirme",
    r"jconfirme",
    r"bien vu",
    r"si tu veux",
    r"comme tu veux",
    r"si vous voulez",
    r"yessai",
    r"ofc",
    r"c clair",
    r"c est clair",
    r"clairement",
    r"azy",
    r"vazy",
)
_YES_WEAK = (
    r"si",
    r"k",
    r"kk",
    r"vrai",
    r"juste",
    r"top",
    r"super",
    r"go",
    r"parfait",
    r"genial",
    r"nickel",
    r"correct",
    r"confirme",
    r"valide",
    r"yep",
)
_NO_PHRASES = (
    r"no+n+",
    r"na+n+",
    r"nn",
    r"no+",
    r"nop+e?",
    r"na+h",
    r"ni+et",
    r"nein",
    r"pas du tout",
    r"pas vraiment",
    r"pas trop",
    r"pas specialement",
    r"pas forcement",
    r"pas encore",
    r"jamais",
    r"absolument pas",
    r"surtout pas",
    r"certainement pas",
    r"pas question",
    r"hors de question",
    r"pas d ac+ord",
    r"pas dac+ord",
    r"pas ok",
    r"c est pas ca",
    r"c pas ca",
    r"cest pas ca",
    r"c est faux",
    r"c faux",
    r"negatif",
    r"pas moi",
    r"no way",
    r"ca me va pas",
    r"ca va pas",
    r"c est pas bon",
    r"c pas bon",
    r"pas bon",
    r"pas envie",
    r"je veux pas",
    r"jveux pas",
    r"j veux pas",
    r"veux pas",
    r"je ne veux pas",
    r"pas maintenant",
    r"non merci",
    r"mm non",
)
_NO_WEAK = (r"pas", r"faux", r"n")
_NEUTRAL = (
    r"merci",
    r"merci beaucoup",
    r"stp",
    r"svp",
    r"s il te plait",
    r"s il vous plait",
    r"lol",
    r"mdr",
    r"ptdr",
    r"xd",
    r"frere",
    r"frero",
    r"mec",
    r"bro",
    r"wesh",
    r"wsh",
    r"bah",
    r"ba",
    r"ben",
    r"bon",
    r"euh",
    r"heu",
    r"hmm?",
    r"mmh?",
    r"hum",
    r"ah",
    r"oh",
    r"eh",
    r"alors",
    r"mais",
    r"moi",
    r"je pense que",
    r"je crois que",
    r"je dirais",
    r"je pense",
    r"je crois",
    r"bien sur",
    r"hein",
    r"madame",
    r"monsieur",
    r"biensur",
    r"haha",
    r"ahah",
    r"hihi",
    r"et toi",
)


def _phrase_group(name: str, phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?P<" + name + ">" + "|".join(ordered) + ")"


_YN_HEDGE = (
    r"|bof|jsp|jsais pas|je sais pas|sais pas|chais pas|peut etre|ptet|mouais|pas sur|hesite"
)
_YN_YES_CONFLICT_RE = re.compile(
    r"\b(?:non|nan|nn|pas|jamais|mais|nope|plus|ni" + _YN_HEDGE + r")\b"
)
_YN_NO_CONFLICT_RE = re.compile(r"\b(?:oui|ouais|ouai|mais|yes|si|ok" + _YN_HEDGE + r")\b")


_YN_GROUP_RES = tuple(
    re.compile(_phrase_group(name, phrases) + r"(?: |$)")
    for name, phrases in (
        ("no", _NO_PHRASES),
        ("yes", _YES_PHRASES),
        ("neutral", _NEUTRAL),
        ("yesweak", _YES_WEAK),
        ("noweak", _NO_WEAK),
    )
)


def _longest_match(text: str, pos: int) -> re.Match[str] | None:
    """Longest phrase match at ``pos`` (alternation is not longest-first across groups)."""
    best: re.Match[str] | None = None
    for pattern in _YN_GROUP_RES:
        m = pattern.match(text, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    return best


def parse_yes_no(text: str) -> bool | None:
    """True for yes ("ouais", "grave", "👍"...), False for no ("nan", "pas du tout"), else None."""
    if not isinstance(text, str):
        return None
    raw = text[:SHORT_ANSWER_MAX_CHARS]
    emoji_yes = any(e in raw for e in _YES_EMOJI)
    emoji_no = any(e in raw for e in _NO_EMOJI)
    norm = squeeze(normalize(raw))

    strong: set[bool] = set()
    weak: set[bool] = set()
    pos = 0
    while pos < len(norm):
        m = _longest_match(norm, pos)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "yes":
            strong.add(True)
        elif kind == "no":
            strong.add(False)
        elif kind == "yesweak":
            weak.add(True)
        elif kind == "noweak":
            weak.add(False)
        pos = m.end()
    rest = norm[pos:].strip()

    if emoji_yes:
        (strong if not norm else weak).add(True)
    if emoji_no:
        (strong if not norm else weak).add(False)

    if rest:
        # Something else follows: weak words do not count, strong ones must
        # not be contradicted or hedged.
        polarities = strong
        if len(polarities) != 1:
            return None
        value = next(iter(polarities))
        conflict = _YN_YES_CONFLICT_RE if value else _YN_NO_CONFLICT_RE
        if conflict.search(rest):
            return None
        return value
    polarities = strong | weak
    if len(polarities) != 1:
        return None
    return next(iter(polarities))
