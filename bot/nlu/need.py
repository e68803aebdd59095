"""The youth's main need: job, training, mobility, housing, health, unsure, other."""

from __future__ import annotations

import re

from bot.nlu.normalise import LATIN_VOWELS, SHORT_ANSWER_MAX_CHARS
from bot.nlu.normalise import norm as fold

NEEDS = ("job", "training", "mobility", "housing", "health", "unsure", "other")

_NEED_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "other",
        re.compile(
            r"\b(?:titre de sejour|permis de sejour|carte de sejour|carte d identite|papiers"
            r"|administratif|administrative|administratives|demarches?|argent|thune|fric"
            r"|aide financiere|aides financieres|budget|dettes?|cni|passeport|justice|avocat"
            r"|rsa|allocations?|caf|bourse|des sous|creche|nounou|garde d enfants?)\b"
        ),
    ),
    (
        "job",
        re.compile(
            r"\b(?:taf+e?|taf+er|boul+ot|boulo|travail|travaux|travailler|travaille|bos+er|bos+e"
            r"|job|jobs|jobi|jobine|emploi|emplois|cdi|cdd|interim|interimaire|interimaires"
            r"|contrat|embauche|embaucher|recrut\w*|cv|lettre de motivation|entretiens?"
            r"|saisonniers?|saisonniere|vendanges?|service civique|salaire|paye|patron"
            r"|cej|contrat d engagement|garantie jeunes?|france travail|pole emploi|chomage"
            r"|gagner (?:ma vie|de l argent|des sous|de la thune|du fric|des thunes))\b"
        ),
    ),
    (
        "training",
        re.compile(
            r"\b(?:formation|formations|former|me former|apprentissage|apprenti|apprentie"
            r"|apprentis|alternance|alternant|alternante|etudes|etude|etudier|reprendre les cours"
            r"|retourner (?:a l ecole|en cours)|ecole|lycee|fac|universite|bac|cap|bts|bep|dut"
            r"|licence|diplome|diplomes|diplomee?|diplomant|certificat|certification"
            r"|qualification|qualifiante?|orientation|m orienter|stage|stages|remise a niveau"
            r"|epide|e2c|deuxieme chance|des cours|cours du soir|caces|bafa|psc1|sst|haccp"
            r"|titre pro|titre professionnel)\b"
        ),
    ),
    (
        "mobility",
        re.compile(
            r"\b(?:permis|code|voiture|caisse|bagnole|scooter|scoot|moto|mobylette|velo|transports?"
            r"|bus|(?<!\ben )train|me deplacer|deplacer|deplacements?|bouger|mobilite|conduire|conduite"
            r"|auto ecole|autoecole|bsr|permis am|covoiturage|vehicule)\b"
        ),
    ),
    (
        "housing",
        re.compile(
            r"\b(?:logement|logements|loger|me loger|appart|apart|appartement|appartements"
            r"|hebergement|heberger|foyer|fjt|studio|loyer|coloc|colocation|un toit|demenager"
            r"|demenagement|chambre|apl|maison a moi|chez moi a moi"
            r"|(?:partir|bouger|sortir|quitter|me barrer) (?:de chez|le domicile|la maison)\w*)\b"
        ),
    ),
    (
        "health",
        re.compile(
            r"\b(?:sante|psy|psychologue|psychiatre|psychologique|medecin|medecins|docteur"
            r"|mutuelle|moral|stress|stresse|stressee|angoisse|angoisses|anxiete|anxieux|anxieuse"
            r"|depression|deprime|deprimee|depressif|depressive|malade|maladie|soins|soigner"
            r"|dentiste|lunettes|css|cmu|secu|securite sociale|carte vitale|addiction|drogue"
            r"|alcool|mal etre|je vais pas bien|va pas bien|sommeil|therapie"
            r"|handicap|enceinte|grossesse|hopital|arreter de fumer|tabac|clope|cannabis|shit"
            r"|beuh)\b"
        ),
    ),
)
_UNSURE_RE = re.compile(
    r"\b(?:jsp|jsais pas|j sais pas|je sais pas|je ne sais pas|je sais plus|je ne sais plus"
    r"|sais pas|sai pas|chais pas|chai pas|chepa|chaipa|jsai pa|jsai pas|sais po|ne sais"
    r"|aucune idee|aucune id|pas d idee|pas trop d idee|aucun idee|bof|je vois pas|j hesite"
    r"|jhesite|hesite|pas sur|pas sure|on verra|je verrai|un peu de tout|rien de special"
    r"|rien de precis|nsp|idk|je suis perdu|je suis perdue|suis perdu|suis perdue|chui perdu"
    r"|chui perdue|sais pas trop|je ne sais|ch sais pas|chsais pas|sais pa|ch ai pas)\b"
)
# Only when they are (almost) the whole answer.
_UNSURE_SHORT_RE = re.compile(
    r"^(?:\w+ )?(?:tout|rien|de tout|euh|ben|pas vraiment|a voir|peut etre|ptet|ptete|ptetre"
    r"|on verra bien|rien de tout ca|pas d idee)(?: \w+)?$"
)
_SECTOR_RE = re.compile(
    r"\b(?:vente|vendeu(?:r|se)|commerce|caissiere?|cuisine|cuisinier|cuisiniere|restauration"
    r"|serveur|serveuse|hotellerie|coiffure|coiffeu(?:r|se)|esthetique|mecanique|mecanicien"
    r"|batiment|btp|macon|maconnerie|plomberie|plombier|electricite|electricien|menuiserie"
    r"|menuisier|peinture|peintre|logistique|manutention|magasinier|cariste|preparateur de commandes"
    r"|usine|industrie|soudure|soudeur|informatique|animation|animateur|animatrice"
    r"|aide a la personne|aide a domicile|aide soignante?|auxiliaire de vie|agriculture|agricole"
    r"|espaces verts|paysagiste|nettoyage|proprete|securite|boulangerie|boulanger|boucherie"
    r"|boucher|patisserie|transport routier|chauffeur|livreur|livraison|armee|militaire"
    r"|gendarmerie|pompier)\b"
)
_FUNCTION_WORDS = frozenset(
    """
    je j de un une le la les des pour mon ma mes avec pas besoin aide veux voudrais cherche
    faire suis ai et a en du au d l m me moi sur dans qui que c est ca trouver avoir etre t
    il elle on nous vous tu aimerais voudrai jveux jsuis jai chercher plus peu mais ou y
    i need want help the to my a an some
    """.split()
)
_NEED_NEGATION_RE = re.compile(r"\bpas besoin (?:de|d)(?: (?:un|une|le|la|les|d))? $")


def parse_need(text: str) -> str | None:
    """Main need in NEEDS; earliest concrete mention wins, then "unsure", then "other"."""
    norm = fold(text, SHORT_ANSWER_MAX_CHARS)
    if not norm:
        return None
    best: tuple[int, int, str] | None = None
    for need, pattern in _NEED_PATTERNS:
        for m in pattern.finditer(norm):
            if _NEED_NEGATION_RE.search(norm[: m.start()]):
                continue
            key = (m.start(), -(m.end() - m.start()), need)
            if best is None or key < best:
                best = key
            break
    if best is not None:
        return best[2]
    if _SECTOR_RE.search(norm):
        return "job"  # "la vente", "mécanique": the field they want to work in
    if _UNSURE_RE.search(norm) or _UNSURE_SHORT_RE.match(norm):
        return "unsure"
    tokens = [t for t in norm.split() if any(c.isalpha() for c in t)]
    if len(tokens) >= 3:
        vowel_tokens = sum(1 for t in tokens if set(t) & LATIN_VOWELS or not t.isascii())
        if vowel_tokens * 2 >= len(tokens) and any(t in _FUNCTION_WORDS for t in tokens):
            return "other"
    return None
