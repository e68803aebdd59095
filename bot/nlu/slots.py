"""The slot values one message gives at an intake step, in the corpus' format.

The step's own question is read by its parser; anything else stated plainly
("un taf, j'habite à Thierville" at the need question) comes from ``early``.
"""

from __future__ import annotations

import datetime

from bot.nlu.age import parse_age
from bot.nlu.availability import parse_availability
from bot.nlu.communes import CommuneIndex
from bot.nlu.contact import find_email, parse_contact
from bot.nlu.early import extract_unasked, find_commune
from bot.nlu.names import parse_first_name
from bot.nlu.need import parse_need
from bot.nlu.yesno import parse_yes_no

# Slot keys, as in the labelled corpus.
SLOT_KEYS = frozenset(
    {
        "first_name",
        "age",
        "commune",
        "need",
        "phone",
        "email",
        "contact",
        "availability",
        "yes",
    }
)
STEPS = (
    "welcome",
    "ask_name",
    "ask_age",
    "ask_commune",
    "ask_need",
    "ask_contact",
    "ask_availability",
    "summary",
    "waiting",
)


def step_slots(
    text: str, at: str, communes: CommuneIndex, today: datetime.date
) -> dict[str, object]:
    """The answer to the step's own question, when the message gives one."""
    if at in ("welcome", "summary"):
        yes = parse_yes_no(text, offer=at == "welcome")
        return {} if yes is None else {"yes": yes}
    if at == "ask_name":
        name, _ = parse_first_name(text, communes)
        return {} if name is None else {"first_name": name}
    if at == "ask_age":
        age = parse_age(text, today)
        return {} if age is None else {"age": age}
    if at == "ask_commune":
        stated = find_commune(
            text, communes, landmarks=False
        )  # "j'suis d'Ancerville mais je bosse à Saint-Dizier"
        if stated is not None:
            return {"commune": stated}
        match = communes.match(text)
        return {"commune": match.communes[0].name} if match.kind == "found" else {}
    if at == "ask_need":
        need = parse_need(text)
        return {} if need is None else {"need": need}
    if at == "ask_contact":
        contact = parse_contact(text)
        if contact.kind == "chat":
            return {"contact": "chat"}
        if contact.kind is None:
            return {}
        email = find_email(text) if contact.kind == "phone" else None
        return {contact.kind: contact.value, **({"email": email} if email else {})}
    if at == "ask_availability":
        slots = parse_availability(text)
        return {} if slots is None else {"availability": list(slots)}
    return {}


def read_slots(
    text: str, at: str, communes: CommuneIndex, today: datetime.date | None = None
) -> dict[str, object]:
    """Slot values a message gives at step ``at`` (keys as in the labelled corpus)."""
    today = today or datetime.date.today()
    values: dict[str, object] = dict(extract_unasked(text, communes, today))
    values.update(step_slots(text, at, communes, today))
    return values
