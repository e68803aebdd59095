"""The character-n-gram linear classifier, run in pure Python from its exported weights.

Trained at build time by scripts/train_intents.py (scikit-learn's TfidfVectorizer with
analyzer="char_wb", ngram_range=(2, 5), sublinear tf, and logistic regressions); here only
the arithmetic of that pipeline runs, so serving needs neither scikit-learn nor numpy.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.nlu import lexicon
from bot.nlu.lexicon import LexiconError

MODEL_FILE = lexicon.DATA_DIR / "model.json"
_MAX_CHARS = 600  # long messages: the first sentences carry the request


def char_wb_ngrams(text: str, low: int, high: int) -> Counter[str]:
    """scikit-learn's "char_wb" analyzer: n-grams inside each space-padded word."""
    grams: Counter[str] = Counter()
    for word in text.split():
        word = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams[word[:n]] += 1
            while offset + n < len(word):
                offset += 1
                grams[word[offset : offset + n]] += 1
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


@dataclass(frozen=True, slots=True)
class Prediction:
    labels: frozenset[str]
    topic: str | None


class Classifier:
    """Binary labels (stop, erase, person, question) and the question's topic."""

    def __init__(self, data: dict) -> None:
        self.low, self.high = data["ngram_range"]
        self.idf: dict[str, float] = data["idf"]
        self.labels: dict[str, tuple[dict[str, float], float]] = {
            name: (c["w"], c["b"]) for name, c in data["binary"].items()
        }
        self.topics: list[str] = data["topics"]["classes"]
        self.topic_w: dict[str, list[float]] = data["topics"]["w"]
        self.topic_b: list[float] = data["topics"]["b"]
        self.source_hash: str = data["source_hash"]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Classifier:
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise LexiconError(f"nlu data: no model {path} (make nlu-model)") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise LexiconError(f"nlu data: {path} is not a valid model ({exc})") from None

    def features(self, norm: str) -> dict[str, float]:
        """The l2-normalised sublinear tf-idf vector of a folded message."""
        grams = char_wb_ngrams(norm[:_MAX_CHARS], self.low, self.high)
        vec = {g: (1.0 + math.log(n)) * self.idf[g] for g, n in grams.items() if g in self.idf}
        norm2 = math.sqrt(sum(v * v for v in vec.values()))
        return {g: v / norm2 for g, v in vec.items()} if norm2 else {}

    def predict(self, norm: str) -> Prediction:
        x = self.features(norm)
        if not x:
            return Prediction(frozenset(), None)
        labels = frozenset(
            name
            for name, (w, b) in self.labels.items()
            if b + sum(v * w.get(g, 0.0) for g, v in x.items()) > 0
        )
        topic = None
        if "question" in labels:
            scores = list(self.topic_b)
            for g, v in x.items():
                for i, wi in enumerate(self.topic_w.get(g, ())):
                    scores[i] += v * wi
            topic = self.topics[max(range(len(scores)), key=scores.__getitem__)]
        return Prediction(labels, topic)


def source_hash(paths: list[Path]) -> str:
    """A digest of the training inputs, so that a stale model is caught by a test."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def training_sources(root: Path) -> list[Path]:
    """The files the model is trained on: the phrase files and the dev corpus."""
    data = [lexicon.DATA_DIR / lexicon.file_name(s) for s in ("intents", "faq")]
    return [*data, *sorted((root / "tests" / "nlu" / "dev").glob("*.toml"))]
