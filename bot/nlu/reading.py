"""One reading of a message: every signal it carries, and the answer to the current step."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.nlu import lexicon
from bot.nlu.classifier import MODEL_FILE, Classifier
from bot.nlu.distress import SOFTENED, DistressLexicon
from bot.nlu.early import extract_unasked
from bot.nlu.faq import FaqLexicon
from bot.nlu.fixes import default_fixes
from bot.nlu.guesses import CLASSIFIED as _CLASSIFIED
from bot.nlu.guesses import MENU_STEPS as _MENU_STEPS
from bot.nlu.guesses import SEGMENT_RE as _SEGMENT_RE
from bot.nlu.guesses import Guesses
from bot.nlu.intents import IntentLexicon
from bot.nlu.slots import step_slots
from bot.nlu.welcome import default_welcome
from bot.nlu.yesno import OFFER_STEPS, parse_yes_no

_QUESTION_ONLY_RE = re.compile(r"[\s?¿？⁇❓❔/]+")
# Clauses a person request may share a part with: "le mardi aprem mais je veux une conseillère".
_CLAUSE_RE = re.compile(r"\b(?:mais|sauf que)\b", re.IGNORECASE)
_AND_RE = re.compile(r"\bet\b", re.IGNORECASE)
_READ_MAX_CHARS = 2_000  # intents and questions live in short messages: read a bounded prefix
_GUESS_MIN_WORDS = 4
# Steps whose answer is a yes or a no.
_YES_NO_STEPS = ("welcome", "summary", "offer_human", "outside", "confirm_erase")


@dataclass(frozen=True, slots=True)
class Reading:
    """What one message says: signals in the order the flow acts on them, then the answer."""

    distress: str | None = None
    intents: frozenset[str] = frozenset()
    topic: str | None = None
    slots: Mapping[str, Any] = field(default_factory=dict)
    guessed: bool = False  # the topic is the classifier's guess, not a listed phrasing

    def has(self, intent: str) -> bool:
        return intent in self.intents

    @property
    def labels(self) -> frozenset[str]:
        """The signals in the labelled corpus's vocabulary."""
        out = {i for i in self.intents if i in ("stop", "erase", "person")}
        if self.distress:
            out.add("distress")
        if self.topic:
            out.add("question")
        return frozenset(out)


class Reader:
    """Reads messages with the lexicons of bot/nlu/data, loaded and validated once."""

    def __init__(
        self,
        intents: IntentLexicon,
        distress: DistressLexicon,
        faq: FaqLexicon,
        classifier: Classifier | None = None,
    ) -> None:
        self.intents, self.distress, self.faq = intents, distress, faq
        self.classifier = classifier
        self.guesses = Guesses(intents, faq, classifier) if classifier is not None else None

    @classmethod
    def load(cls, directory: Path = lexicon.DATA_DIR, model: Path | None = MODEL_FILE) -> Reader:
        return cls(
            IntentLexicon.load(directory),
            DistressLexicon.load(directory),
            FaqLexicon.load(directory),
            Classifier.load(model) if model is not None else None,
        )

    def read(
        self,
        text: str,
        at: str,
        *,
        age: int | None = None,
        today: datetime.date | None = None,
        communes: Any = None,
    ) -> Reading:
        """Every signal in `text`, sent while the bot is at step `at`."""
        if not isinstance(text, str) or not text.strip():
            return Reading()
        distress = self.distress.detect(text, age=age)
        raw = text[:_READ_MAX_CHARS]
        if _QUESTION_ONLY_RE.fullmatch(raw.strip()) and any(c in raw for c in "?¿？⁇❓❔"):
            return Reading(distress, frozenset({"help"}))
        norm = lexicon.fold(raw)
        intents = self.intents.detect(norm, self.intents.trim(norm), at)
        parts = [lexicon.fold(p) for p in _SEGMENT_RE.split(raw) if p.strip()]
        if len(parts) > 1:
            # A request said whole in one part of a longer message: "non non j'arrête tout, stop",
            # "ok. un conseiller". The message's vetoes still apply to it.
            intents |= self.intents.detect_parts(norm, parts, at, _CLASSIFIED)
        topic = listed = self.faq.topic(raw, norm)
        whole = _slot(raw, at, today, communes)  # the step's answer, read from the whole message
        # A plain answer ("quand vous voulez", "Léa Humain") is never overruled by a guess:
        # only the lexicon may read a request into it.
        plain = at in _MENU_STEPS or ("?" not in raw and _answers(whole))
        listed_person = "person" in intents
        guessed_person = False
        if self.classifier is not None:
            guess = self.classifier.predict(norm)
            if (
                distress in SOFTENED
                and "distress" not in guess.labels
                and self.distress.softened(text)
            ):
                # A second look where lexicon and model disagree: a hyperbole of dying heard
                # inside a joke or a game, in the same clause ("envie de me jeter par la fenêtre
                # haha"), stands only if the model, trained on such frames, hears distress too.
                # Violence, a minor or a night outside is never softened.
                distress = None
            # A guess needs a few words too: "le soir" is an answer, not a night outside.
            if not distress and norm.count(" ") >= _GUESS_MIN_WORDS - 1:
                distress = self._guess_distress(text, guess.kind, age)
                if distress and topic and "?" in raw and self.faq.asks(topic, norm):
                    # A second look: a guess alone does not overrule a question the phrases
                    # name ("si j'écris ce soir on me répond cette nuit ?" asks when, nothing more).
                    distress = None
            gates = self.guesses
            assert gates is not None  # made with the classifier
            if not plain:
                intents, topic = gates.add(raw, norm, at, guess, intents, topic)
            elif gates.person_beside_answer(raw, norm, at, guess, intents):
                intents.add("person")
                guessed_person = True
            if "person" in intents and topic and at not in _MENU_STEPS:
                topic = gates.person_or_topic(norm, guess, intents, topic, listed_person)
        if topic == "how_stop" and intents & {"stop", "erase"}:
            # "comment on arrête ?" asks about stopping; "vous pouvez effacer mes infos ?" asks to.
            if self.faq.asks(topic, norm):
                intents -= {"stop", "erase"}
            else:
                topic = None
        if "person" in intents and topic:
            # One of the two was heard by the lexicon in so many words: it wins. "je peux parler
            # à quelqu'un maintenant ?" asks for a person; "le conseiller il va faire quoi ?"
            # asks what a counsellor does.
            if listed_person:
                topic = None
            else:
                intents.discard("person")
        if distress:
            # A cry for help is answered first and alone: a question in it ("à quoi ça sert que
            # je cherche, jvais me tuer avant") is no question on a topic, and "j'ai plus envie
            # de rien" in it is no request to stop: the conversation must stay open.
            topic = None
            intents.discard("stop")
        if topic:
            intents.discard("help")
        slots = {}
        if guessed_person and not intents & {"stop", "erase", "restart"}:
            slots = whole  # a plain answer the classifier hears a person request beside: kept
        elif "person" in intents and not intents & {"stop", "erase", "restart"}:
            # "un boulot. mais je préfère en parler à un conseiller": the answer beside the request.
            slots = self._beside_request(raw, at, today, communes)
        elif not intents & {"stop", "erase", "person", "restart"}:
            slots = whole if topic is None else self._slots(raw, at, whole, today, communes)
            if communes is not None:  # answers given before their question, stated plainly
                slots = {**extract_unasked(raw, communes, today), **slots}
        return Reading(distress, frozenset(intents), topic, slots, guessed=topic != listed)

    def _guess_distress(self, text: str, kind: str | None, age: int | None) -> str | None:
        """The classifier's distress, when the lexicon heard none and no idiom is in the way."""
        if kind is None or not self.distress.guess_allowed(text, kind):
            return None
        if kind in ("violence", "danger") and age is not None and age < 18:
            return "minor"
        return kind

    def requests(self, text: str, at: str) -> frozenset[str]:
        """The intents alone (stop, person, help...), without reading the step's answer."""
        if not isinstance(text, str) or not text.strip():
            return frozenset()
        norm = lexicon.fold(text[:_READ_MAX_CHARS])
        return frozenset(self.intents.detect(norm, self.intents.trim(norm), at))

    def _beside_request(self, raw: str, at: str, today: Any, communes: Any) -> dict[str, Any]:
        """The step's answer in the parts of a message that do not ask for a person."""
        parts = [c for p in _SEGMENT_RE.split(raw) for c in _CLAUSE_RE.split(p) if c.strip()]
        rest: list[str] = []
        asks = False
        for part in parts:
            if "person" not in self.requests(part, at):
                rest.append(part)  # "lundi matin et mardi" stays whole
                continue
            asks = True
            # Only a part that asks for a person is cut on "et": "mardi et je veux un humain".
            pieces = [c for c in _AND_RE.split(part) if c.strip()]
            if len(pieces) > 1:
                rest.extend(c for c in pieces if "person" not in self.requests(c, at))
        if not rest or not asks:
            return {}
        return _slot(" ".join(rest), at, today, communes)

    def _slots(
        self, raw: str, at: str, whole: dict[str, Any], today: Any, communes: Any
    ) -> dict[str, Any]:
        """The answer to the current step in a message that also asks a question."""
        if at in ("ask_contact", "ask_age"):
            # A phone number, an e-mail or an age is never part of the question around it:
            # "j'ai 30 ans je peux quand même ?" answers the step and asks.
            return whole
        # Keep only the parts of the message that ask nothing: "un taf, c'est gratuit ?".
        parts = [p for p in _SEGMENT_RE.split(raw) if p.strip()]
        rest = [p for p in parts if self.faq.topic(p + "?", lexicon.fold(p)) is None]
        return _slot(" ".join(rest), at, today, communes) if rest and len(parts) > 1 else {}


def _answers(slots: dict[str, Any]) -> bool:
    """Whether the parsers found a real answer ("other" is what a need parser says of anything)."""
    return bool(slots) and slots.get("need") != "other"


def _slot(text: str, at: str, today: Any, communes: Any) -> dict[str, Any]:
    """The value the slot parsers read for step `at`."""
    if at == "need_other":
        at = "ask_need"
    if at in _YES_NO_STEPS:
        yes = parse_yes_no(text, offer=at in OFFER_STEPS)
        return {"yes": yes} if yes is not None else {}
    if at == "ask_commune" and communes is None:
        return {}
    return dict(step_slots(text, at, communes, today or datetime.date.today()))


@lru_cache(maxsize=1)
def default_reader() -> Reader:
    """The reader of the bundled data, loaded once per process (validated at start-up)."""
    # The flow's small lexicons load with it, so that a bad file of theirs stops start-up too.
    default_fixes()
    default_welcome()
    return Reader.load()
