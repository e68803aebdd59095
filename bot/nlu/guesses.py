"""What the classifier's guess may add to the phrases' reading of a message, and when."""

from __future__ import annotations

import re

from bot.nlu import lexicon
from bot.nlu.classifier import Classifier, Prediction
from bot.nlu.faq import FaqLexicon
from bot.nlu.intents import IntentLexicon

SEGMENT_RE = re.compile(r"[?¿？!.;,\n]+")
# What the classifier may add to the lexicon's reading (distress is the lexicon's alone).
CLASSIFIED = frozenset({"stop", "erase", "person"})
# Steps where a youth names a field of the form ("mon numéro"): no guessing there.
MENU_STEPS = frozenset({"fix_which"})
# A topic guess needs a few words: "slt c combien" asks; "allo ?" does not (3 against 4: README).
_TOPIC_GUESS_MIN_WORDS = 3
# A plain answer with a person guess beside it: from this many words the guess counts ("mercredi
# matin, mais je veux une conseillère, pas toi"); "Léa Humain" and "quand vous voulez" stay answers.
_PLAIN_PERSON_MIN_WORDS = 5


class Guesses:
    """The gates between the classifier and the reading, each decided by measurement (README)."""

    def __init__(self, intents: IntentLexicon, faq: FaqLexicon, classifier: Classifier) -> None:
        self.intents, self.faq, self.classifier = intents, faq, classifier

    def add(
        self, raw: str, norm: str, at: str, guess: Prediction, intents: set[str], topic: str | None
    ) -> tuple[set[str], str | None]:
        """Add what the classifier hears and the lexicon missed, within the lexicon's vetoes."""
        for name in guess.labels & CLASSIFIED:
            if self.allowed(name, raw, norm, at):  # "arreter de fumer" stays ruled out
                intents.add(name)
        enough = norm.count(" ") >= _TOPIC_GUESS_MIN_WORDS - 1
        # A question in so many words, or the guessed topic's own words heard ("jai jamais compris
        # ce que fait une mission locale"): two readers agreeing.
        asks = (
            guess.topic is not None
            and enough
            and (
                self.faq.is_question(raw, norm)
                or self.faq.topics[guess.topic].about.search(norm) is not None
            )
        )
        strong = topic is not None and self.faq.asks(topic, norm)  # a listed phrasing
        # Beside a person request the topic is kept too: `person_or_topic` chooses between them.
        if asks and guess.topic is not None and not strong:
            if not self.faq.topics[guess.topic].veto.search(norm):
                topic = guess.topic  # better than a keyword alone, measured (README)
        return intents, topic

    def person_or_topic(
        self, norm: str, guess: Prediction, intents: set[str], topic: str, listed: bool
    ) -> str | None:
        """A person request and a question both heard: the classifier decides when it hears one.

        "bon t'es un bot, file moi un humain" names the who question and asks for a person;
        "on peut se voir ailleurs que dans un bureau ?" names a person and asks where. When it
        hears both and the phrases name no person, its larger margin decides; otherwise the
        phrases' order (in `Reader.read`) does.
        """
        heard_person, heard_question = "person" in guess.labels, guess.topic is not None
        if heard_person and heard_question and not listed:
            scores = self.classifier.scores(norm) or ()
            names = self.classifier.label_names
            heard_question = scores[names.index("question")] >= scores[names.index("person")]
            heard_person = not heard_question
        if heard_person and not heard_question:
            return None
        if heard_question and not heard_person:
            intents.discard("person")
        return topic

    def allowed(self, name: str, raw: str, norm: str, at: str) -> bool:
        """A guess no veto rules out, or one a part of the message free of vetoes says again.

        "bon t'es un bot, file moi un humain": the veto on "t'es un bot" (a question about us, no
        request) holds for its own part only; the classifier hears the request in the other.
        """
        if not self.intents.vetoed(name, norm, at, guess=True):
            return True
        for part in SEGMENT_RE.split(raw):
            folded = lexicon.fold(part)
            if folded.count(" ") < _TOPIC_GUESS_MIN_WORDS - 1:
                continue
            if not self.intents.vetoed(name, folded, at, guess=True):
                if name in self.classifier.predict(folded).labels:
                    return True
        return False

    def person_beside_answer(
        self, raw: str, norm: str, at: str, guess: Prediction, intents: set[str]
    ) -> bool:
        """Whether a person guess counts beside a plain answer: a long message, no veto."""
        return (
            "person" in guess.labels
            and "person" not in intents
            and at not in MENU_STEPS
            and norm.count(" ") + 1 >= _PLAIN_PERSON_MIN_WORDS
            and self.allowed("person", raw, norm, at)
        )
