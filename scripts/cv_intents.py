"""Cross-validate the reading: k folds over the corpus files, a file never split across folds.

The validation part of round 2 (bot/nlu/validation.py) is left out of every fold.

Build-time only (needs the `train` extra). For each fold the classifier is trained without the
fold's files, then the whole reading (phrases, classifier, slot parsers) is measured on them;
the folds' scores are summed. Thresholds and model choices are decided on these numbers.
Usage: python scripts/cv_intents.py [--folds 5] [--distress-threshold 0.5 ...] [--no-words]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_intents import WORDS, examples, train  # noqa: E402

from bot.nlu.communes import CommuneIndex  # noqa: E402
from bot.nlu.reading import Reader  # noqa: E402
from bot.nlu.report import Case, Scores, evaluate, load_cases, render  # noqa: E402
from bot.nlu.validation import split  # noqa: E402

CORPUS = ROOT / "tests" / "nlu" / "dev"


def folds(cases: list[Case], k: int) -> list[set[str]]:
    """Files dealt to k folds, largest first into the smallest fold, so folds are even."""
    sizes = Counter(c.where.split()[0] for c in cases)
    out: list[set[str]] = [set() for _ in range(k)]
    load = [0] * k
    for name, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        i = load.index(min(load))
        out[i].add(name)
        load[i] += size
    return out


def add(total: Scores, part: Scores) -> None:
    """Sum the scores of one fold into the total."""
    total.n += part.n
    for name in ("tp", "fp", "fn", "confusion"):
        getattr(total, name).update(getattr(part, name))
    for name in ("distress_kind_ok", "idioms", "idiom_alarms", "topics", "topics_ok", "slots",
                 "slots_ok"):  # fmt: skip
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.errors += part.errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--distress-threshold", type=float, nargs="*", default=[0.5])
    parser.add_argument("--errors", action="store_true", help="list the held-out misses")
    parser.add_argument("--no-words", action="store_true", help="char n-grams only")
    args = parser.parse_args()
    cases, _ = split(load_cases(CORPUS))  # the validation part is measured apart, at the end
    communes = CommuneIndex.load()
    totals = {t: Scores() for t in args.distress_threshold}
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "model.json"
        for i, held in enumerate(folds(cases, args.folds)):
            model = train(examples(held), words=None if args.no_words else WORDS)
            model["source_hash"] = "cross-validation"
            model_path.write_text(json.dumps(model), encoding="utf-8")
            reader = Reader.load(model=model_path)
            test = [c for c in cases if c.where.split()[0] in held]
            for threshold, total in totals.items():
                assert reader.classifier is not None
                reader.classifier.thresholds["distress"] = threshold
                add(total, evaluate(test, reader, communes))
            print(f"fold {i + 1}/{args.folds}: {len(test)} messages from {sorted(held)}")
    for threshold, total in totals.items():
        print()
        print(render(f"{args.folds}-fold, distress threshold {threshold}", total, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
