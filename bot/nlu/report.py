"""Measure the reading on a labelled corpus, in the manner of `rasa test nlu`.

Run: python -m bot.nlu.report [--validation] [--rounds] [folder ...] (default tests/nlu/dev
and tests/nlu/heldout). The validation part of a folder is set apart, printed with --validation;
--rounds prints each measured round's tuning part and validation part on their own.
"""

from __future__ import annotations

import datetime
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.nlu.distress import ALL_KINDS
from bot.nlu.faq import TOPICS
from bot.nlu.reading import Reader, default_reader

LABELS = ("distress", "stop", "erase", "person", "question")
STEPS = (
    "welcome", "ask_name", "ask_age", "ask_commune", "ask_need", "ask_contact",
    "ask_availability", "summary", "waiting",
)  # fmt: skip
SLOT_KEYS = ("first_name", "age", "commune", "need", "phone", "email", "contact",
             "availability", "yes")  # fmt: skip
_FIELDS = {"text", "at", "intents", "distress", "topic", "idiom", "note", "slots"}
TODAY = datetime.date(2026, 11, 24)  # ages in the corpus are computed on this day


@dataclass(frozen=True, slots=True)
class Case:
    where: str
    text: str
    at: str
    intents: frozenset[str]
    distress: str | None = None
    topic: str | None = None
    idiom: bool = False
    slots: dict[str, Any] = field(default_factory=dict)


def load_cases(folder: Path) -> list[Case]:
    """Every case of the folder's TOML files; a malformed case names its file and index."""
    cases = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for i, raw in enumerate(data.get("case", [])):
            cases.append(_case(raw, f"{path.name} case {i + 1}"))
    return cases


def _case(raw: dict[str, Any], where: str) -> Case:
    def bad(why: str) -> ValueError:
        return ValueError(f"{where}: {why}")

    if set(raw) - _FIELDS:
        raise bad(f"unknown field {sorted(set(raw) - _FIELDS)[0]}")
    text, at, intents = raw.get("text"), raw.get("at"), raw.get("intents")
    if not isinstance(text, str) or not text:
        raise bad("text must be a non-empty string")
    if at not in STEPS:
        raise bad(f"at must be one of {STEPS}")
    if not isinstance(intents, list) or not set(intents) <= set(LABELS):
        raise bad(f"intents must be a list of {LABELS}")
    if ("distress" in intents) != (raw.get("distress") in ALL_KINDS):
        raise bad("distress (one of the kinds) goes with the intent distress, and only then")
    if ("question" in intents) != (raw.get("topic") in TOPICS):
        raise bad("topic (one of the topics) goes with the intent question, and only then")
    slots = raw.get("slots", {})
    if not isinstance(slots, dict) or set(slots) - set(SLOT_KEYS):
        raise bad(f"slots keys must be among {SLOT_KEYS}")
    return Case(where, text, at, frozenset(intents), raw.get("distress"), raw.get("topic"),
                bool(raw.get("idiom", False)), slots)  # fmt: skip


def primary(labels: frozenset[str]) -> str:
    """The signal the flow acts on first: the confusion matrix's single label."""
    for label in ("distress", "erase", "stop", "person", "question"):
        if label in labels:
            return label
    return "none"


@dataclass
class Scores:
    n: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    distress_kind_ok: int = 0
    idioms: int = 0
    idiom_alarms: int = 0
    topics: int = 0
    topics_ok: int = 0
    slots: int = 0
    slots_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def recall(self, *labels: str) -> float:
        tp = sum(self.tp[x] for x in labels)
        total = tp + sum(self.fn[x] for x in labels)
        return tp / total if total else 1.0

    def precision(self, label: str) -> float:
        total = self.tp[label] + self.fp[label]
        return self.tp[label] / total if total else 1.0

    @property
    def idiom_false_alarms(self) -> float:
        return self.idiom_alarms / self.idioms if self.idioms else 0.0

    @property
    def topic_accuracy(self) -> float:
        return self.topics_ok / self.topics if self.topics else 1.0

    @property
    def slot_accuracy(self) -> float:
        return self.slots_ok / self.slots if self.slots else 1.0


def evaluate(cases: list[Case], reader: Reader | None = None, communes: Any = None) -> Scores:
    reader = reader or default_reader()
    s = Scores()
    for case in cases:
        got = reader.read(case.text, case.at, today=TODAY, communes=communes)
        s.n += 1
        labels = got.labels
        for label in LABELS:
            if label in case.intents and label in labels:
                s.tp[label] += 1
            elif label in case.intents:
                s.fn[label] += 1
            elif label in labels:
                s.fp[label] += 1
        s.confusion[(primary(case.intents), primary(labels))] += 1
        wrong = set(case.intents) ^ set(labels)
        if case.distress and got.distress == case.distress:
            s.distress_kind_ok += 1
        if case.idiom:
            s.idioms += 1
            s.idiom_alarms += got.distress is not None
        if case.topic:
            s.topics += 1
            s.topics_ok += got.topic == case.topic
            if got.topic != case.topic:
                wrong.add(f"topic {got.topic}")
        for key, value in case.slots.items():
            s.slots += 1
            ok = got.slots.get(key) == value
            s.slots_ok += ok
            if not ok:
                wrong.add(f"slot {key}={got.slots.get(key)!r}")
        if wrong:
            s.errors.append(f"{case.where} [{case.at}] {case.text!r}: got {sorted(labels)} "
                            f"{got.distress or ''} {got.topic or ''} {dict(got.slots)} "
                            f"(differs on {sorted(wrong)})")  # fmt: skip
    return s


FLOORS = {
    "distress recall": (lambda s: s.recall("distress"), 0.98, "min"),
    "idiom false alarms": (lambda s: s.idiom_false_alarms, 0.02, "max"),
    "person recall": (lambda s: s.recall("person"), 0.97, "min"),
    "stop/erase recall": (lambda s: s.recall("stop", "erase"), 0.97, "min"),
    "question topic accuracy": (lambda s: s.topic_accuracy, 0.90, "min"),
    "slot accuracy": (lambda s: s.slot_accuracy, 0.95, "min"),
}


def below_floors(s: Scores) -> list[str]:
    out = []
    for name, (measure, floor, kind) in FLOORS.items():
        value = measure(s)
        if (kind == "min" and value < floor) or (kind == "max" and value > floor):
            out.append(f"{name} {value:.3f} ({'min' if kind == 'min' else 'max'} {floor})")
    return out


def render(title: str, s: Scores, errors: bool = True) -> str:
    lines = [f"== {title}: {s.n} messages", "", f"{'intent':<10} {'prec':>6} {'recall':>6} "
             f"{'f1':>6} {'support':>8}"]  # fmt: skip
    for label in LABELS:
        p, r = s.precision(label), s.recall(label)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{label:<10} {p:6.3f} {r:6.3f} {f1:6.3f} {s.tp[label] + s.fn[label]:8d}")
    names = ["none", *LABELS]
    lines += ["", "confusion (rows: expected first signal, columns: read)",
              " " * 10 + "".join(f"{n[:8]:>9}" for n in names)]  # fmt: skip
    for exp in names:
        lines.append(f"{exp:<10}" + "".join(f"{s.confusion[(exp, got)]:9d}" for got in names))
    kinds = s.tp["distress"] + s.fn["distress"]
    lines += [
        "",
        f"distress kind right: {s.distress_kind_ok}/{kinds}",
        f"idioms: {s.idiom_alarms} false alarms / {s.idioms}",
        f"question topic accuracy: {s.topic_accuracy:.3f} ({s.topics_ok}/{s.topics})",
        f"slot accuracy: {s.slot_accuracy:.3f} ({s.slots_ok}/{s.slots})",
    ]
    low = below_floors(s)
    lines.append("floors: " + ("all met" if not low else "BELOW " + "; ".join(low)))
    if errors and s.errors:
        lines += ["", "errors:", *(f"  {e}" for e in s.errors)]
    return "\n".join(lines)


def _speed(cases: list[Case], communes: Any) -> float:
    """Mean time to read one message of the corpus, slots included (a benchmark, not a test)."""
    reader = default_reader()
    started = time.process_time()  # CPU time: other processes on the machine do not count
    for _ in range(3):
        for case in cases:
            reader.read(case.text, case.at, today=TODAY, communes=communes)
    return (time.process_time() - started) / max(1, 3 * len(cases)) * 1e6


def _print_rounds(
    folder: Path, cases: list[Case], validation: list[Case], communes: Any, show_validation: bool
) -> None:
    """Each measured round's tuning part (and validation part, on demand) on its own."""
    from bot.nlu.validation import ROUNDS

    for prefix in ROUNDS:
        name = prefix.rstrip("_")
        tuning = [c for c in cases if c.where.startswith(prefix)]
        print(render(f"{folder}: {name}, tuning part", evaluate(tuning, communes=communes),
                     errors=False), end="\n\n")  # fmt: skip
        if show_validation:
            part = [c for c in validation if c.where.startswith(prefix)]
            title = f"{folder}: {name}, validation part (never tuned on)"
            print(render(title, evaluate(part, communes=communes), errors=False), end="\n\n")


def main(argv: list[str]) -> int:
    from bot.nlu.communes import CommuneIndex
    from bot.nlu.validation import split

    root = Path(__file__).resolve().parents[2] / "tests" / "nlu"
    # The validation part of round 2 is measured only on demand: it must not steer tuning.
    show_validation = "--validation" in argv
    by_round = "--rounds" in argv
    flags = {"--validation", "--rounds"}
    folders = [Path(a) for a in argv if a not in flags] or [root / "dev", root / "heldout"]
    communes = CommuneIndex.load()
    failed = False
    for folder in folders:
        if not folder.is_dir() or not any(folder.glob("*.toml")):
            print(f"== {folder}: no case, skipped\n")
            continue
        cases, validation = split(load_cases(folder))
        scores = evaluate(cases, communes=communes)
        # Misses are listed for the dev corpus only: any other folder is a measure, and the
        # messages it misses must not steer tuning.
        print(render(str(folder), scores, errors=folder.name == "dev"), end="\n\n")
        print(f"reading: {_speed(cases, communes):.0f} µs of CPU per message on average\n")
        failed = failed or (folder.name == "heldout" and bool(below_floors(scores)))
        if validation and show_validation:
            title = f"{folder}: validation part (never tuned on)"
            print(render(title, evaluate(validation, communes=communes), errors=False), end="\n\n")
        if by_round:
            _print_rounds(folder, cases, validation, communes, show_validation)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
