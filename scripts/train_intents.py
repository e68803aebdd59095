"""Train the intent classifier and export its weights to bot/nlu/data/model.json.

Build-time only (`make nlu-model`, needs the `train` extra: scikit-learn). The service reads
the exported weights in pure Python (bot/nlu/classifier.py).
Usage: python scripts/train_intents.py [--folds 5] [--exclude FILE.toml ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scipy.sparse import hstack  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from bot.nlu.classifier import (  # noqa: E402
    MODEL_FILE,
    WORD_PATTERN,
    WORD_PREFIX,
    char_wb_ngrams,
    source_hash,
    training_sources,
    word_ngrams,
)
from bot.nlu.distress import ALL_KINDS  # noqa: E402
from bot.nlu.faq import TOPICS  # noqa: E402
from bot.nlu.lexicon import fold  # noqa: E402
from bot.nlu.reading import Reader  # noqa: E402
from bot.nlu.report import load_cases  # noqa: E402
from bot.nlu.validation import split  # noqa: E402

BINARY = ("distress", "stop", "erase", "person", "question")
Row = tuple[str, frozenset[str], str | None, str | None]  # text, signals, topic, distress kind
PRUNE = 1e-3  # weights smaller than this are dropped from the export
# Words and word bigrams beside the char n-grams: chosen by cross-validation (README).
WORDS: tuple[int, int] | None = (1, 2)


def examples(exclude: set[str]) -> list[Row]:
    reader = Reader.load(model=None)  # the phrases alone: the model is what is being made
    tuning, _ = split(load_cases(ROOT / "tests" / "nlu" / "dev"))  # never the validation part
    rows = [
        (c.text, c.intents, c.topic, c.distress)
        for c in tuning
        if c.where.split()[0] not in exclude
    ]
    for name, rule in reader.intents.rules.items():
        if name in BINARY:
            rows += [(e, frozenset({name}), None, None) for e in rule.examples]
    for name, topic in reader.faq.topics.items():
        rows += [(e, frozenset({"question"}), name, None) for e in topic.examples]
    return rows


def _multiclass(x: Any, vocab: Any, rows: list[Row], column: int) -> dict:
    """One logistic regression over the rows that have a value in `column` (topic or kind)."""
    picked = [i for i, row in enumerate(rows) if row[column]]
    model = LogisticRegression(C=10, class_weight="balanced", max_iter=3000)
    model.fit(x[picked], [rows[i][column] for i in picked])
    coef = model.coef_
    return {
        "classes": [str(c) for c in model.classes_],
        "w": {
            vocab[i]: [round(float(v), 5) for v in coef[:, i]]
            for i in range(len(vocab))
            if abs(coef[:, i]).max() > PRUNE
        },
        "b": [float(b) for b in model.intercept_],
    }


def train(rows: list[Row], words: tuple[int, int] | None = WORDS) -> dict:
    texts = [fold(row[0]) for row in rows]
    vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=False
    )
    x = vec.fit_transform(texts)
    vocab = list(vec.get_feature_names_out())
    idf = list(vec.idf_)
    analyzer = vec.build_analyzer()
    for text in texts:  # the pure-Python analyzer must see exactly what scikit-learn saw
        assert char_wb_ngrams(text, 2, 5) == Counter(analyzer(text)), text
    if words is not None:
        wvec = TfidfVectorizer(
            analyzer="word", ngram_range=words, sublinear_tf=True, lowercase=False,
            token_pattern=WORD_PATTERN,
        )  # fmt: skip
        x = hstack([x, wvec.fit_transform(texts)]).tocsr()
        vocab += [WORD_PREFIX + g for g in wvec.get_feature_names_out()]
        idf += list(wvec.idf_)
        wanalyzer = wvec.build_analyzer()
        for text in texts:
            expected = Counter(WORD_PREFIX + g for g in wanalyzer(text))
            assert word_ngrams(text, *words) == expected, text
    binary = {}
    for label in BINARY:
        y = [label in row[1] for row in rows]
        model = LogisticRegression(C=10, class_weight="balanced", max_iter=3000).fit(x, y)
        w = model.coef_[0]
        binary[label] = {
            "w": {vocab[i]: round(float(w[i]), 5) for i in range(len(vocab)) if abs(w[i]) > PRUNE},
            "b": float(model.intercept_[0]),
        }
    topics = _multiclass(x, vocab, rows, 2)
    assert set(topics["classes"]) == set(TOPICS), "every topic needs examples"
    kinds = _multiclass(x, vocab, rows, 3)
    assert set(kinds["classes"]) == set(ALL_KINDS), "every kind of distress needs examples"
    return {
        "ngram_range": [2, 5],
        "word_ngram_range": list(words) if words is not None else None,
        "idf": {vocab[i]: round(float(v), 5) for i, v in enumerate(idf)},
        "binary": binary,
        "topics": topics,
        "kinds": kinds,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--exclude", nargs="*", default=[], help="corpus files left out")
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    rows = examples(set(args.exclude))
    started = time.perf_counter()
    model = train(rows)
    model["source_hash"] = source_hash(training_sources(ROOT))
    args.output.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n")
    took = time.perf_counter() - started
    size = args.output.stat().st_size / 1e6
    print(f"trained on {len(rows)} messages in {took:.1f}s: {args.output.name} {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
