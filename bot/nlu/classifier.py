"""The n-gram linear classifier, run in pure Python from its exported weights.

Trained at build time by scripts/train_intents.py (two scikit-learn TfidfVectorizers side by
side: analyzer="char_wb" with ngram_range=(2, 5), and words with their bigrams, each with
sublinear tf and its own l2 norm; then logistic regressions); here only the arithmetic of that
pipeline runs, so serving needs neither scikit-learn nor numpy.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.nlu import lexicon
from bot.nlu.lexicon import LexiconError

MODEL_FILE = lexicon.DATA_DIR / "model.json"
# A distress guess needs a margin: below it, idioms and alarms mixed on unseen messages (README).
_THRESHOLDS = {"distress": 0.5}  # the margin for distress, chosen by cross-validation (README)
_MAX_CHARS = 600  # long messages: the first sentences carry the request
WORD_PREFIX = "w:"  # word n-grams are exported beside char n-grams under this prefix
WORD_PATTERN = r"[a-z0-9]+"  # the word vectorizer's token_pattern
_WORD_RE = re.compile(WORD_PATTERN)


def char_wb_ngrams(text: str, low: int, high: int) -> Counter[str]:
    """scikit-learn's "char_wb" analyzer: n-grams inside each space-padded word."""
    grams: list[str] = []
    for word in text.split():
        word = f" {word} "
        size = len(word)
        for n in range(low, high + 1):
            if size <= n:  # a word no longer than n counts once, whole
                grams.append(word)
                break
            grams.extend([word[i : i + n] for i in range(size - n + 1)])
    return Counter(grams)


def word_ngrams(text: str, low: int, high: int) -> Counter[str]:
    """scikit-learn's "word" analyzer (token_pattern WORD_PATTERN), each gram prefixed."""
    words = _WORD_RE.findall(text)
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(WORD_PREFIX + " ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return Counter(grams)


@dataclass(frozen=True, slots=True)
class Prediction:
    labels: frozenset[str]
    topic: str | None
    kind: str | None  # of distress


class Classifier:
    """Binary labels (distress, stop, erase, person, question), the topic, the distress kind."""

    def __init__(self, data: dict) -> None:
        self.low, self.high = data["ngram_range"]
        self.word_range: tuple[int, int] | None = (
            tuple(data["word_ngram_range"]) if data.get("word_ngram_range") else None
        )
        self.idf: dict[str, float] = data["idf"]
        self.label_names = tuple(data["binary"])
        self.topics: list[str] = data["topics"]["classes"]
        self.kinds: list[str] = data["kinds"]["classes"]
        self.source_hash: str = data["source_hash"]
        self.thresholds = dict(_THRESHOLDS)  # chosen by cross-validation (scripts/cv_intents.py)
        binary = [data["binary"][name] for name in self.label_names]
        heads = [data["topics"], data["kinds"]]
        self.bias = (*(c["b"] for c in binary), *(b for h in heads for b in h["b"]))
        # One row per n-gram: idf times the weight of every class, so that a message's scores
        # are a column sum of its rows (done in C by zip and sum), then a division by its norm.
        grams = set().union(*(c["w"] for c in binary), *(h["w"] for h in heads))
        zeros = [[0.0] * len(h["classes"]) for h in heads]
        self.rows: dict[str, tuple[float, ...]] = {}
        for gram in grams:
            row = [c["w"].get(gram, 0.0) for c in binary]
            for head, zero in zip(heads, zeros, strict=True):
                row += head["w"].get(gram, zero)
            idf = self.idf[gram]
            self.rows[gram] = tuple(idf * w for w in row)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Classifier:
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise LexiconError(f"nlu data: no model {path} (make nlu-model)") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise LexiconError(f"nlu data: {path} is not a valid model ({exc})") from None

    def scores(self, norm: str) -> tuple[float, ...] | None:
        """Decision values of every class for a folded message, or None when nothing is known."""
        norm = norm[:_MAX_CHARS]
        parts = [self._part(char_wb_ngrams(norm, self.low, self.high))]
        if self.word_range is not None:
            parts.append(self._part(word_ngrams(norm, *self.word_range)))
        totals = list(self.bias)
        known = False
        for scale, sums in parts:  # each vectorizer's block has its own l2 norm
            if scale is None:
                continue
            known = True
            for i, v in enumerate(sums):
                totals[i] += scale * v
        return tuple(totals) if known else None

    def _part(self, grams: Counter[str]) -> tuple[float | None, list[float]]:
        """One block's 1/norm and the column sums of its rows (tf-idf weighted)."""
        idf, rows = self.idf, self.rows
        norm2, picked = 0.0, []
        for gram, count in grams.items():
            weight = idf.get(gram)
            if weight is None:
                continue
            row = rows.get(gram)
            if count == 1:
                norm2 += weight * weight
                if row is not None:
                    picked.append(row)
            else:
                tf = 1.0 + math.log(count)  # sublinear tf, as trained
                norm2 += (tf * weight) ** 2
                if row is not None:
                    picked.append(tuple(tf * w for w in row))
        if not norm2:
            return None, []
        sums: list[float] = (
            [float(sum(col)) for col in zip(*picked, strict=True)]
            if picked
            else [0.0] * len(self.bias)
        )
        return 1.0 / math.sqrt(norm2), sums

    def predict(self, norm: str) -> Prediction:
        scores = self.scores(norm)
        if scores is None:
            return Prediction(frozenset(), None, None)
        n, t = len(self.label_names), len(self.topics)
        labels = frozenset(
            name
            for name, v in zip(self.label_names, scores, strict=False)
            if v > self.thresholds.get(name, 0.0)
        )
        topic = _best(self.topics, scores[n : n + t]) if "question" in labels else None
        kind = _best(self.kinds, scores[n + t :]) if "distress" in labels else None
        return Prediction(labels, topic, kind)


def _best(classes: list[str], scores: tuple[float, ...]) -> str:
    return classes[max(range(len(scores)), key=scores.__getitem__)]


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
