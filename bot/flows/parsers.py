"""Intent and distress detection for the intake flow, plus the slot parsers' old home.

The slot parsers (age, contact, need, availability, yes/no, first name) live in
``bot.nlu``; they are re-exported here so existing imports keep working.
Every public function here is pure, synchronous and total: it accepts any
``str`` (arbitrary unicode, huge strings) and never raises.
"""

from __future__ import annotations

import enum
import re

from bot.nlu.age import parse_age
from bot.nlu.availability import SLOTS, parse_availability
from bot.nlu.contact import ContactAnswer, parse_contact
from bot.nlu.names import parse_first_name
from bot.nlu.need import NEEDS, parse_need
from bot.nlu.normalise import norm as _norm
from bot.nlu.normalise import normalize
from bot.nlu.normalise import squeeze as _squeeze
from bot.nlu.yesno import parse_yes_no

__all__ = [
    "NEEDS",
    "SLOTS",
    "ContactAnswer",
    "Distress",
    "Intent",
    "detect_distress",
    "detect_intent",
    "normalize",
    "parse_age",
    "parse_availability",
    "parse_contact",
    "parse_first_name",
    "parse_need",
    "parse_yes_no",
]

# Caps on how much input each detector looks at.
_INTENT_MAX_CHARS = 160  # a global command is a short message
_DISTRESS_MAX_CHARS = 10_000  # channels cap messages at ~4k chars; scan them whole

# ---------------------------------------------------------------------------
# Global commands (intents)
# ---------------------------------------------------------------------------


class Intent(enum.StrEnum):
    STOP = "stop"
    RESUME = "resume"
    HUMAN = "human"
    RESTART = "restart"
    HELP = "help"
    ERASE = "erase"
    PRIVACY = "privacy"


_PLEASE = r"(?:stp|svp|s il (?:te|vous) plait|steu?plai[ts]?|please|pls|plz)"

_LEAD_FILLERS_RE = re.compile(
    r"^(?:(?:"
    + _PLEASE
    + r"|bon|ben|bah|ba|beh|eh|oh|ah|euh|heu|hum|hey|wesh|wsh|yo|allez|alors|mais"
    r"|ok|okay|merci|non|nan|hein|dis|dites|vas y|vasy|bref|frere|frero|mec|bro"
    r"|hello|salut|slt|coucou|cc|bonjour|bjr|bonsoir)\s+)+"
)
_TRAIL_FILLERS_RE = re.compile(
    r"(?:\s+(?:"
    + _PLEASE
    + r"|merci|merci beaucoup|maintenant|tout de suite|direct|vite|la|hein|bordel"
    r"|putain|wesh|frere|frero|mec|bro|lol|mdr|ptdr|ok|vraiment|en fait|deja|alors"
    r"|oui|svp merci))+$"
)
_WANT_RE = re.compile(
    r"^(?:(?:moi )?(?:je (?:veux|voudrais|voudrai|peux|pourrais|souhaite|souhaiterais"
    r"|prefere|aimerais|aimerai|dois|demande)|j (?:veux|peux|aimerais|aimerai|voudrais)"
    r"|jveux|jvx|jvoudrais|jaimerais|jaimerai|jpeux|je ve|je veu|jve"
    r"|est ce que (?:je peux|j peux|on peut|tu peux|vous pouvez|c est possible de)"
    r"|est ce qu on peut|on peut|on pourrait|peut on|tu peux|tu pe|tu pourrais|pourrais tu"
    r"|peux tu|vous pouvez|pouvez vous|il faut|faut|c est possible de|possible de"
    r"|merci de)\s+)+"
)

_HUMAN_TARGET = (
    r"(?:(?:(?:un|une|le|la|l|mon|ma|des|les|vos|un de vos|une de vos)\s)?(?:vrai[es]?\s)?"
    r"(?:conseill(?:er|ere|ers|eres|e)(?: e)?|humain|humaine|educ|educateur|educatrice"
    r"|educ spe|referent|referente|etre humain)"
    r"|(?:un|une|le|la|l|des)\s(?:vrai[es]?\s)?(?:personne|professionnel|professionnelle|pro"
    r"|agent|gens|personne reelle|vraie personne|operateur|operatrice)"
    r"|quelqu un|quelquun|qqn|qq1|qqun|kelkun|kelk1|quelqu 1|une vraie personne"
    r"|une personne reelle)"
    r"(?:\s(?:de la mission locale|de la ml|de chez vous|en vrai|physique|reel|reelle"
    r"|humain|humaine|en chair et en os|pour de vrai))?"
)

_INTENT_CORES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        Intent.STOP,
        re.compile(
            r"(?:sto+p+(?: (?:sto+p+|la|ca|tout|le bot|les messages?|les notifs?"
            r"|la conversation|la discussion|les sms))*"
            r"|stopper|stoppe"
            r"|ar+e+t+e*[rsz]?(?: (?:ca|tout|toi|la|tout de suite|les messages?"
            r"|de m ecrire|de m envoyer des (?:messages?|sms)|de me (?:saouler|souler|harceler"
            r"|spammer|parler|relancer|contacter|deranger|ecrire|envoyer des messages?)))?"
            r"|cesse[rz]?(?: (?:de m ecrire|tout))?"
            r"|laisse[rz]? moi(?: (?:tranquille|tranquil|trankil|trql|trkl|en paix|vivre))?"
            r"|lache[rz]? moi(?: (?:la grappe|les baskets))?"
            r"|(?:fiche|fichez|fous|fou|foutez|fout) moi la paix"
            r"|(?:ne )?m ecri(?:s|t|vez) plus|ecri(?:s|t|vez) moi plus|ne m ecrivez plus"
            r"|(?:ne )?me contacte[rz]? plus|(?:plus|pu) de (?:messages?|sms|notifs?)"
            r"|desabonne[rz]?(?: moi)?|desabonnement|desinscri(?:re|s|s moi|ption|vez moi)"
            r"|me desinscrire|me desabonner|unsubscribe|opt out)"
        ),
    ),
    (
        Intent.HUMAN,
        re.compile(
            r"(?:(?:parler|discuter|causer|echanger|ecrire|voir|rencontrer|contacter|joindre"
            r"|avoir|appeler|etre en contact|etre (?:rappele|rappelee)|etre mis en contact"
            r"|(?:avoir|prendre) (?:un )?(?:rdv|rendez vous))"
            r"\s(?:a |avec |par )?"
            + _HUMAN_TARGET
            + r"|"
            + _HUMAN_TARGET
            + r"|(?:passe|passez|mets|mettez|met)[sz]? moi"
            r"(?: en (?:contact|relation) avec)?\s"
            + _HUMAN_TARGET
            + r"|(?:j ai |jai )?besoin (?:d|de)\s"
            + _HUMAN_TARGET
            + r"|(?:je (?:ne )?veux|jveux) pas (?:parler a |parler avec )?(?:un|a un|une) "
            r"(?:robot|bot|machine|ia)"
            r"|pas (?:parler |discuter )?(?:a |avec )?(?:un|une|de) (?:robot|bot|machine|ia)"
            r"|(?:un|une|des|le|la) (?:humain|vraie personne)(?: pas un (?:robot|bot))?)"
        ),
    ),
    (
        Intent.RESTART,
        re.compile(
            r"(?:(?:on |tout |je )?recomm?en(?:ce|cer|cons|cez|ces|ceons)"
            r"(?: (?:tout|a zero|a 0|depuis le debut|du debut|au debut|de zero|de 0"
            r"|la conversation|l inscription|tout depuis le debut|tout a zero))?"
            r"|tout recomm?encer|reset|restart|redemar+(?:e|er|age|rer)|raz|remise a zero"
            r"|(?:reprendre|reprend|reprends|repartir|repart|repars|on repart|on reprend"
            r"|refaire|on refait|tout refaire|on refait tout|reprenons)"
            r"(?: tout)? (?:depuis le debut|du debut|de zero|a zero|au debut|de 0|a 0)"
            r"|(?:depuis le|du|au|retour au) debut|(?:a|de) zero|nouveau depart"
            r"|tout refaire|on refait tout)"
        ),
    ),
    (
        Intent.RESUME,
        re.compile(
            r"(?:(?:on |je )?(?:re ?pren(?:d|ds|dre|ons|ez)|continu(?:e|er|ons|ez|es)"
            r"|rep(?:art|artir|artons)|relance[rz]?|reactive[rz]?)"
            r"(?: (?:la conversation|la discussion|l inscription|ou on en etait"
            r"|la ou on s est arrete|la ou on en etait))?"
            r"|start|unstop|reprise|je reviens|me revoila|me revoici|c est reparti|cest reparti"
            r"|demarr(?:e|er)|commenc(?:e|er)|on commence|on y va|go on continue)"
        ),
    ),
    (
        Intent.ERASE,
        re.compile(
            r"(?:(?:sup+rim|ef+ac|detrui|detrui[st]|retir|enlev|delet|eras)\w*(?: moi)?"
            r" (?:(?:toutes |tout |toute )?(?:mes|les|mon|ma|nos|vos|ces|tes|ses)"
            r" (?:propres )?(?:donnees|donnee|donne|donnes|datas?|infos?|informations?"
            r"|coordonnees|compte|profil|dossier|numero|num|mail|email|adresse|conversations?"
            r"|messages?|historique|traces?|reponses?)"
            r"(?: (?:perso|persos|personnelles?|de moi|me concernant|sur moi))?"
            r"|tout|moi|tout sur moi|tout ce que (?:tu as|vous avez|t as)(?: sur moi)?"
            r"|ce que (?:tu as|vous avez|t as) sur moi)"
            r"|oublie[sz]? moi|oublie[sz]? tout(?: sur moi)?|droit (?:a l|a|d|de l|a) oubli"
            r"|etre oubliee?|suppression (?:de |des )?(?:mes |des )?(?:donnees|infos"
            r"|informations|compte|profil|coordonnees)(?: perso| personnelles)?"
            r"|delete my data|erase my data)"
        ),
    ),
    (
        Intent.PRIVACY,
        re.compile(
            r"(?:(?:politique de |charte de |conditions de )?confidentialite"
            r"|confidentialites|vie privee|rgpd|gdpr|cnil|privacy|mentions legales"
            r"|protection des donnees(?: personnelles)?|donnees (?:perso|personnelles)"
            r"|(?:et |quid de |c est quoi )?(?:mes|nos|les) (?:donnees|infos|informations)"
            r"(?: (?:perso|personnelles))?"
            r"|(?:c est |c |cest |est ce que c est |tout ca est |ca reste |ca restera "
            r"|ca sera |c est bien |ca va rester |c est vraiment |reste )?"
            r"(?:confidentiel|confidentielle|anonyme|secret|prive)"
            r"|(?:qui (?:voit|lit|a acces a|aura acces a|peut voir|recoit|recupere|garde)"
            r"|vous faites quoi (?:de|avec)|tu fais quoi (?:de|avec)|que faites vous (?:de|avec)"
            r"|qu est ce que (?:vous faites|tu fais) (?:de|avec)|ou vont|ou sont stockees"
            r"|vous gardez|tu gardes|vous conservez|tu conserves|combien de temps (?:vous gardez"
            r"|tu gardes|vous conservez)|a quoi servent|pourquoi (?:vous voulez|tu veux"
            r"|tu demandes|vous demandez)|c est quoi|qui a)"
            r" (?:mes |les |nos |ces |toutes mes |tout mes )?(?:donnees|infos|informations"
            r"|messages|reponses|coordonnees)(?: (?:personnelles|perso))?)"
        ),
    ),
    (
        Intent.HELP,
        re.compile(
            r"(?:aide|aider|aides|aidez moi|aide moi|a l aide|help|help me|helpe|menu|commandes"
            r"|(?:je |j |moi je |moi j )?(?:ne |n )?j?(?:comprend|comprends|comprenais"
            r"|capte|captes|pige|piges|saisis)\s(?:pas|pa|rien|r1|plus|que dalle|nada|keud)"
            r"(?: (?:du tout|a ce que tu dis|ce que tu dis|ce qu il faut faire|ce que je dois faire"
            r"|ton truc|ta question|la question|comment ca marche|comment faire|ce truc"
            r"|tout|bien))?"
            r"|(?:j ai |jai |g |j )?(?:pas|rien|r1) (?:compris|capte|pige)(?: (?:la question"
            r"|ta question|ce que tu dis|ce que tu veux|ton truc))?"
            r"|comment (?:ca|sa|ce truc|ton truc|le bot|tu) (?:marche|fonctionne|fonctionnes"
            r"|marches)|comment (?:on fait|je fais|jfais|faire|ca se passe)"
            r"|(?:c est |c |cest )?quoi ce (?:truc|bot|machin|chat)|c est quoi ce (?:truc|bot)"
            r"|tu sers a quoi|a quoi tu sers|ca sert a quoi|t es qui|tu es qui|qui es tu"
            r"|t es quoi|tu es quoi|je (?:dois )?fais? quoi|jfais quoi|on fait quoi"
            r"|quoi faire|que faire|je dois faire quoi|mode d emploi)"
        ),
    ),
)

_SLASH_ALIASES: dict[str, Intent] = {
    "stop": Intent.STOP,
    "arret": Intent.STOP,
    "start": Intent.RESUME,
    "resume": Intent.RESUME,
    "reprendre": Intent.RESUME,
    "continuer": Intent.RESUME,
    "human": Intent.HUMAN,
    "humain": Intent.HUMAN,
    "conseiller": Intent.HUMAN,
    "conseillere": Intent.HUMAN,
    "agent": Intent.HUMAN,
    "restart": Intent.RESTART,
    "reset": Intent.RESTART,
    "recommencer": Intent.RESTART,
    "aide": Intent.HELP,
    "help": Intent.HELP,
    "menu": Intent.HELP,
    "erase": Intent.ERASE,
    "delete": Intent.ERASE,
    "effacer": Intent.ERASE,
    "supprimer": Intent.ERASE,
    "oubli": Intent.ERASE,
    "oublier": Intent.ERASE,
    "privacy": Intent.PRIVACY,
    "confidentialite": Intent.PRIVACY,
    "rgpd": Intent.PRIVACY,
    "donnees": Intent.PRIVACY,
    "vieprivee": Intent.PRIVACY,
}

_QUESTION_ONLY_RE = re.compile(r"[\s?¿？⁇❓❔/]+")


def _strip_intent_fillers(core: str) -> str:
    for _ in range(3):
        before = core
        core = _LEAD_FILLERS_RE.sub("", core)
        core = _TRAIL_FILLERS_RE.sub("", core)
        core = _WANT_RE.sub("", core)
        if core == before:
            break
    return core.strip()


def detect_intent(text: str) -> Intent | None:
    """Detect a global command ("stop", "aide", "/reset"...).

    Only fires when the message is essentially the command, so first names,
    communes and ordinary answers are never hijacked.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw or len(raw) > _INTENT_MAX_CHARS:
        return None
    if _QUESTION_ONLY_RE.fullmatch(raw) and any(c in raw for c in "?¿？⁇❓❔"):
        return Intent.HELP
    norm = _squeeze(normalize(raw))
    if not norm:
        return None
    if raw.startswith("/"):
        head, _, rest = norm.partition(" ")
        alias = _SLASH_ALIASES.get(head)
        if alias is not None and len(rest.split()) <= 3:
            return alias
    core = _strip_intent_fillers(norm)
    if not core:
        return None
    for intent, pattern in _INTENT_CORES:
        if pattern.fullmatch(core):
            return intent
    return None


# ---------------------------------------------------------------------------
# Distress
# ---------------------------------------------------------------------------


class Distress(enum.StrEnum):
    SUICIDE = "suicide"
    VIOLENCE = "violence"
    HOMELESS = "homeless"
    DANGER = "danger"


_HYPERBOLE = r"(?! (?:de|d) (?:rire|faim|froid|chaud|soif|honte|ennui|envie|peur|impatience|fatigue|jalousie|sommeil|stress|rire|bonheur))"
# Not negated, and not about a third person ("il veut me tuer" is DANGER).
_NOT_NEGATED = (
    r"(?<!\bpas )(?<!\bpa )(?<!\bjamais )(?<!\bil )(?<!\belle )(?<!\bils )(?<!\belles )"
    r"(?<!\bon )(?<!\by )"
)
_WANT_VERB = (
    r"\b(?:j|ch)?(?:veux|veu|veut|vx|ve|voudrais|voudrai|voudrait|vais|vai|aimerais|aimerai"
    r"|prefere|prefererais|pense a|penses a|pensais a|pense|envie d|envie de|envi d|envi de"
    r"|envies de|reve de|rever de|besoin de|compte)"
)
_DEATH_WISH = (
    r"(?:mourir|mourire|mour+ir|morir|crever|creve|disparaitre|plus vivre|pu vivre|plu vivre"
    r"|plus exister|plus etre la|pu etre la|plus etre en vie|plus me reveiller|pu me reveiller"
    r"|en finir(?! avec (?!(?:la vie|tout|ma vie|moi|mes jours|cette vie|ce monde|l existence)\b))"
    r"|me tuer|me suicider|me foutre en l ?air|mettre fin a (?:mes jours|ma vie)"
    r"|etre mort|etre morte|me pendre|me jeter|sauter d un pont|partir pour de bon"
    r"|me tirer une balle)"
)

_DISTRESS_PATTERNS: tuple[tuple[Distress, re.Pattern[str]], ...] = (
    (
        Distress.SUICIDE,
        re.compile(
            r"\bsuicid\w*|\bscarif\w*|\bautomutil\w*|\boverdose\b|\bsurdose\b"
            r"|"
            + _NOT_NEGATED
            + _WANT_VERB
            + r"\s(?:juste |vraiment |bien |plutot |tellement |trop |"
            r"grave |tellement |)"
            + _DEATH_WISH
            + _HYPERBOLE
            + r"|\b(?:plus|pu|plu|pa|pas|aucune?|zero)\s(?:envie|envi|gout|raison|raisons|force)"
            r"\s(?:de|d)\s(?:vivre|viv|exister|continuer a vivre|continuer)\b"
            r"|\b(?:plus|pu|plu)\s(?:envie|envi)\s(?:de|d)\s(?:me reveiller|rien faire de ma vie)"
            r"|\b(?:marre|mare|assez|peux plus|peu plus|pe plus|pex plus|peux pu|supporte plus"
            r"|jpp|jpu|fatigue|fatiguee|lasse|lassee)\s(?:de|d)\s(?:vivre|la vie|ma vie|exister"
            r"|cette vie|etre en vie)\b"
            r"|\b(?:plus|pu|pas) (?:la )?force de vivre\b|\bidees? noires?\b"
            r"|\bme mutil\w*|\bje me coupe(?:$| (?:les? |la |mes )?(?:bras|poignets?|veines|cuisses?"
            r"|jambes?)\b| encore$| pour (?:oublier|me calmer|aller mieux|me soulager|ne plus))"
            r"|\b(?:vais|veux|va|envie de|peur de) faire une (?:grosse )?(?:connerie|betise)\b"
            r"|(?<!hate d )\ben finir\b(?! avec)"
            r"|\ben finir avec (?:la vie|tout|ma vie|moi|mes jours|cette vie|ce monde|l existence)\b"
            r"|\bme (?:fout\w*|fou|mettre|met) en l ?air\b"
            r"|\bfin a (?:mes jours|ma vie)\b"
            r"|\bme (?:pendre|pend|tailler|couper|ouvrir|trancher) (?:les veines|les poignets)"
            r"|\bme (?:tailler|couper|ouvrir|trancher) les veines"
            r"|\bme (?:faire|fais|fait) du mal\b"
            r"|\bme (?:jeter|jete|balancer) (?:sous|du haut|d un|par la|dans le vide|du pont"
            r"|du toit|de la fenetre)"
            r"|\bsauter (?:du|d un|de la|par la) (?:pont|toit|immeuble|balcon|falaise|fenetre|train)"
            r"|\bavale[rz]? (?:tous|toute|plein|une boite|la boite|des boites)\b"
            r"|\b(?:la|ma) vie (?:ne )?(?:vaut|sert) (?:pas|plus|rien|a rien)"
            r"|\bvie (?:ne )?vaut pas (?:la peine|le coup)\b|\bpas la peine de vivre\b"
            r"|\bma vie n a (?:plus|pas|aucun) (?:de )?sens\b"
            r"|\b(?:serai[st]?|serions|seraient|serez) (?:bien |tous )?mieux sans moi\b"
            r"|\bmieux sans moi\b"
            r"|\bpersonne (?:ne )?(?:me )?regretter\w*"
            r"|\bwant to die\b|\bkill myself\b|\bsuicidal\b"
        ),
    ),
    (
        Distress.DANGER,
        re.compile(
            r"(?<!\bpas )(?<!\bplus )(?<!\bpu )\ben (?:grand |gros |vrai |reel )?danger\b"
            r"|\bdanger de mort\b"
            r"|\bsos\b(?! (?:interim|informatique|depannage|plombier|travail|emploi|cv|job|devoirs))"
            r"|\bpeur (?:de lui|d eux|d elle|de (?:mon|ma) (?:pere|mere|copain|copine|mec|ex|beau pere"
            r"|belle mere|frere|mari|femme))\b"
            r"|\b(?:suis|m a|m ont|me|on m a|il m a|elle m a) enfermee?s?\b"
            r"|\b(?:au|o|aux) secours\b|\bsecourez moi\b"
            r"|\bpeur pour (?:ma vie|mes jours|ma securite|ma peau)\b"
            r"|\bpeur qu (?:il|elle|ils|on) me (?:tue|frappe|fasse du mal)\b"
            r"|\b(?:va|vont|veut|veulent|voulait|voulaient|menace de|menacent de|menace"
            r"|essaye de|essaie de|essayer de|a essaye de|cherche a|vais me faire) me tuer\b"
            r"|\bmenaces? de mort\b|\bmenace de me\b"
            r"|\bsequestr\w*|\bm enferme\w*|\benfermee? (?:chez|dans)\b"
            r"|\bappele[rz]? (?:la police|les flics|le 17|les pompiers|le 112)\b"
            r"|\bappelle[rz]? (?:la police|les flics|le 17|le 112)\b"
            r"|\burgence vitale\b"
        ),
    ),
    (
        Distress.VIOLENCE,
        re.compile(
            r"(?<!\bje )(?<!\bj )(?<!\bca )(?<!\bsa )(?<!\bcela )\b(?:me|m)\s?(?:a |ont |avait |avaient |a deja |)"
            r"(?:frapp\w*|cogn\w*|tabass\w*|batt(?:ent|ait|aient|u|ue|re)|bat|viol\w*|agress\w*"
            r"|harcel\w*|brutalis\w*|maltrait\w*|gifl\w*|etrangl\w*|rackett?\w*|raquett\w*"
            r"|menac\w*|insult\w*|bless\w*|defonc\w*"
            r"|tap(?:e|ent|ait|aient|er|ee)\b"
            r"(?! (?:sur|des barres|une barre|un fou rire|la honte|l incruste|un sprint|une sieste"
            r"|la discut|trop|un delire|un kiff|un bon)))\b"
            r"|\b(?:il|elle|ils|elles|on|y|mon \w+|ma \w+) (?:me |m )?touch\w* (?:alors|sans|contre"
            r"|partout|la ou|mes|les fesses|les seins|de force)"
            r"|\bfai[ts]e?s? (?:frapper|taper|agresser|violer|tabasser|racketter|rackett|harceler"
            r"|battre|cogner|defoncer|attaquer|brutaliser|maltraiter|tripoter|toucher|insulter"
            r"|menacer|etrangler|gifler)\b"
            r"|\b(?:agresse|agressee|agressees|agresses|violee|violees|viole|battue|battues"
            r"|tabasse|tabassee|harcelee|harcele|harceles|harcelees|maltraite|maltraitee"
            r"|frappee|frappees|brutalisee)\b"
            r"|\b(?:viol|viols|violence|violences|agression|agressions|harcelement"
            r"|maltraitance|maltraitances|inceste|attouchements?|abus sexuels?|abuse sexuellement"
            r"|agression sexuelle|coups et blessures|femme battue|violences conjugales"
            r"|violence conjugale|prostitution|prostituee|proxenete|prostitue|tournante)\b"
            r"|(?<!\bc )(?<!\bca )(?<!\bsa )\b(?:est|sont|etait|etaient|devient|devenu|devenue)"
            r"\s(?:tres |trop |super |hyper |souvent |parfois |tout le temps |vraiment )?"
            r"violente?s?\b"
            r"|\b(?:il|elle|ils|on|y) (?:me|m) (?:met|mets|mettent|donne|donnent|a mis|a donne)"
            r" des (?:coups|claques|baffes|gifles|patates|tartes)\b"
            r"|\b(?:recu|reçu|prends|prend|pris) des (?:coups|claques|baffes|gifles)\b"
            r"|\broue de coups\b|\bcoups de (?:poing|pied|ceinture|couteau)\b"
            r"|\b(?:force|forcee|forcer|oblige|obligee|obliger|forcent|obligent) a coucher\b"
            r"|\b(?:rapports?|relations?|sexe) force(?:e|es|s)?\b|\bde force avec moi\b"
        ),
    ),
    (
        Distress.HOMELESS,
        re.compile(
            r"\b(?:j?dors|dormir|dormi|dort|dormons|dorment|dormirai|dormirais|dormais|vis|vit|vivre"
            r"|habite|passe la nuit|passer la nuit|passe mes nuits|nuit|nuits)"
            r" (?:dehors|dans la rue|a la rue|sous (?:les|un) ponts?|sur un banc|a la gare"
            r"|dans (?:ma|la|une|mon|un|sa|son) (?:voiture|caisse|bagnole|tente|gare|cage d escalier|hall"
            r"|parc|squat|cave|abri bus)|a droite a gauche|a gauche a droite|n importe ou"
            r"|ou je peux)\b"
            r"|\ba la rue\b(?! (?:de|du|des|d|en|avec|saint|st|jean|victor|pasteur|principale)\b)"
            r"|\b(?:squatt?e?s?|squatter|dors|dort|dormir|crech\w*) chez (?:des|un|une) (?:potes?|amis?"
            r"|amies?|copains?|copines?|gens|connaissances?|inconnus?)\b"
            r"|\b(?:heberge|hebergee|loge|logee|dormir|dors|aller) nulle part\b"
            r"|\bsdf\b|\bsans (?:abri|abris|domicile|logement|toit|hebergement)\b"
            r"|\b(?:pas|plus|pu|aucun|aucune) (?:de |d )?(?:toit|domicile|endroit ou dormir"
            r"|endroit pour dormir|hebergement)\b"
            r"|\b(?:pas|plus|pu|aucun) (?:de |d )?logement\b(?! (?:a moi|perso|personnel|independant"
            r"|a mon nom))"
            r"|\b(?:nulle|nul|null) part (?:ou|pour) (?:dormir|aller|crecher|me loger|loger|vivre"
            r"|passer la nuit)\b"
            r"|\b(?:pas|rien|personne) (?:ou|pour|qui peut|qui veut) (?:dormir|m heberger)\b"
            r"|\bou dormir (?:ce soir|cette nuit|demain)\b"
            r"|\b(?:mis|mise|fout|foutu|foutue|jete|jetee|vire|viree|chasse|chassee)"
            r" (?:dehors|a la porte(?! de (?:mon|ma|l) (?:taf|boulot|travail|job|stage|entreprise"
            r"|ecole|lycee|formation|classe|cours)))\b"
            r"|\b(?:m a|m ont|ma|mon) (?:mis|mise|fout|foutu|jete|jetee|vire|viree) dehors\b"
            r"|\b(?:mettre|foutre|jeter|virer) dehors\b"
            r"|\b(?:vire|viree|jete|jetee|expulse|expulsee|chasse|chassee|mis|mise|fout|foutu|virer"
            r"|jeter|expulser|chasser)"
            r" (?:de chez (?:moi|mes parents|ma mere|mon pere|ma copine|mon copain|nous|eux)"
            r"|de la maison|de l appart|de mon appart|de mon logement)\b"
            r"|\bexpulsion\b|\bhebergement d urgence\b|\bfoyer d urgence\b"
            r"|\b(?:le|au|du|appele|appeler|appelle|appel) 115\b"
        ),
    ),
)


def detect_distress(text: str) -> Distress | None:
    """Detect a message in distress (any length, first 10k chars scanned).

    Priority when several match: SUICIDE, DANGER, VIOLENCE, HOMELESS.
    Hyperbole such as "mort de rire" or "je meurs de faim" is not flagged.
    """
    norm = _norm(text, _DISTRESS_MAX_CHARS)
    if not norm:
        return None
    for kind, pattern in _DISTRESS_PATTERNS:
        if pattern.search(norm):
            return kind
    return None
