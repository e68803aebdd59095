"""What the bot says for each state, and how a profile reads back to the youth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.events import Button, Reply
from bot.nlu.availability import SLOTS
from bot.nlu.communes import CommuneIndex
from bot.nlu.distress import ALL_KINDS
from bot.nlu.faq import answer_key
from bot.nlu.need import NEEDS
from bot.nlu.reading import Reader, default_reader
from bot.officehours import OfficeHours
from bot.territories import Routing
from bot.texts import Texts

FIXABLE = ("first_name", "age", "commune", "need", "contact", "availability")


@dataclass(frozen=True, slots=True)
class FlowDeps:
    """Everything a flow step reads besides the conversation: all immutable."""

    texts: Texts
    communes: CommuneIndex
    office: OfficeHours
    privacy_url: str
    mission_locale_contact: str
    mission_locale_finder_url: str
    retention_unfinished_days: int = 30
    retention_closed_days: int = 365
    reader: Reader = field(default_factory=default_reader)
    routing: Routing = field(default_factory=Routing)  # its map is reloaded, never edited here


def reply(deps: FlowDeps, key: str, *buttons: tuple[str, str], **values: Any) -> Reply:
    """A bot reply from a catalogue key and (title key, payload) buttons.

    A title starting with "@" is data (a commune name), not a catalogue key.
    """
    return Reply(
        text=deps.texts(key, **values),
        buttons=tuple(
            Button(title[1:] if title.startswith("@") else deps.texts(title), payload)
            for title, payload in buttons
        ),
    )


def welcome(deps: FlowDeps) -> Reply:
    return reply(
        deps,
        "welcome.text",
        ("welcome.btn_start", "START"),
        ("welcome.btn_what", "WHAT"),
        ("welcome.btn_no", "NO"),
        privacy_url=deps.privacy_url,
    )


def need_buttons() -> tuple[tuple[str, str], ...]:
    return tuple((f"need.btn_{need}", f"NEED:{need}") for need in NEEDS)


def slot_buttons() -> tuple[tuple[str, str], ...]:
    return tuple((f"availability.btn_{slot}", f"AVAIL:{slot}") for slot in SLOTS)


def question(deps: FlowDeps, state: str, profile: dict[str, Any]) -> Reply:
    """The question asked in one of the intake states."""
    name = profile.get("first_name", "")
    match state:
        case "ask_name":
            return reply(deps, "name.ask")
        case "ask_age":
            return reply(deps, "age.ask", first_name=name)
        case "ask_commune":
            return reply(deps, "commune.ask")
        case "ask_need":
            return reply(deps, "need.ask", *need_buttons())
        case "need_other":
            return reply(deps, "need.other_ask")
        case "ask_contact":
            return reply(
                deps,
                "contact.ask",
                ("contact.btn_chat", "CONTACT:chat"),
                ("contact.btn_call", "PREF:call"),
                ("contact.btn_sms", "PREF:sms"),
            )
        case "ask_availability":
            return reply(deps, "availability.ask", *slot_buttons())
        case "summary":
            return summary(deps, profile)
        case "fix_which":
            return reply(
                deps,
                "summary.fix_which",
                *((f"summary.btn_fix_{field}", f"FIX:{field}") for field in FIXABLE),
            )
        case "offer_human":
            return human_offer(deps)
        case "confirm_erase":
            return reply(
                deps, "erase.confirm", ("erase.btn_yes", "ERASE:yes"), ("erase.btn_no", "ERASE:no")
            )
        case "outside":
            return outside(deps, profile)
        case _:
            return welcome(deps)


def human_offer(deps: FlowDeps) -> Reply:
    return reply(
        deps,
        "global.offer_human",
        ("global.btn_human_yes", "HUMAN:yes"),
        ("global.btn_human_no", "HUMAN:no"),
    )


def outside(deps: FlowDeps, profile: dict[str, Any]) -> Reply:
    return reply(
        deps,
        "commune.outside",
        ("commune.btn_outside_human", "HUMAN:yes"),
        ("commune.btn_outside_no", "HUMAN:no"),
        commune=profile.get("commune", ""),
        departement=profile.get("departement_name", ""),
        mission_locale_finder_url=deps.mission_locale_finder_url,
    )


def contact_label(deps: FlowDeps, profile: dict[str, Any]) -> str:
    kind = profile.get("contact_kind")
    if kind == "phone":
        pref = profile.get("contact_pref")
        key = f"contact.label_phone_{pref}" if pref in ("call", "sms") else "contact.label_phone"
        return deps.texts(key, phone=_display_phone(profile.get("phone", "")))
    if kind == "email":
        return deps.texts("contact.label_email", email=profile.get("email", ""))
    return deps.texts("contact.label_chat")


def _display_phone(e164: str) -> str:
    if e164.startswith("+33") and len(e164) == 12:
        national = "0" + e164[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return e164


def need_label(deps: FlowDeps, profile: dict[str, Any]) -> str:
    need = profile.get("need")
    label = deps.texts(f"need.label_{need}") if need in NEEDS else ""
    if profile.get("need_text"):
        label = f"{label} ({profile['need_text']})" if label else profile["need_text"]
    return label


def availability_label(deps: FlowDeps, profile: dict[str, Any]) -> str:
    slots = [s for s in profile.get("availability") or () if s in SLOTS]
    return ", ".join(deps.texts(f"availability.label_{slot}") for slot in slots)


def summary(deps: FlowDeps, profile: dict[str, Any]) -> Reply:
    return reply(
        deps,
        "summary.text",
        ("summary.btn_ok", "SUMMARY:ok"),
        ("summary.btn_fix", "SUMMARY:fix"),
        first_name=profile.get("first_name", ""),
        age=profile.get("age", ""),
        commune=profile.get("commune", ""),
        need=need_label(deps, profile),
        contact=contact_label(deps, profile),
        availability=availability_label(deps, profile),
    )


def snapshot(deps: FlowDeps, profile: dict[str, Any]) -> dict[str, Any]:
    """What a counsellor sees on the ticket: the collected fields, readable, no internals."""
    data = {k: v for k, v in profile.items() if not k.startswith("_")}
    if profile.get("need"):
        data["need_label"] = need_label(deps, profile)
    if profile.get("availability"):
        data["availability_label"] = availability_label(deps, profile)
    if profile.get("contact_kind"):
        data["contact_label"] = contact_label(deps, profile)
    return data


def eta(deps: FlowDeps, now: Any) -> str:
    key, values = deps.office.describe_next(now)
    return deps.texts(f"handoff.{key}", **values)


def privacy_notice(deps: FlowDeps, channel: str) -> Reply:
    carrier_key = f"privacy.carrier_{channel}"
    carrier = deps.texts(carrier_key if carrier_key in deps.texts.keys() else "privacy.carrier_web")
    return reply(
        deps,
        "privacy.notice",
        mission_locale_contact=deps.mission_locale_contact,
        carrier=carrier,
        retention_unfinished=deps.retention_unfinished_days,
        retention_closed=deps.retention_closed_days,
        privacy_url=deps.privacy_url,
    )


def payload_title(deps: FlowDeps, payload: str) -> str:
    """The words a button tap stands for, to show it in the conversation's history."""
    kind, _, value = payload.partition(":")
    if kind == "COMMUNE":
        commune = deps.communes.by_code(value)
        return commune.name if commune else deps.texts("commune.btn_other")
    keys = {
        "START": "welcome.btn_start",
        "WHAT": "welcome.btn_what",
        "NO": "welcome.btn_no",
        "NEED": f"need.btn_{value}",
        "AVAIL": f"availability.btn_{value}",
        "CONTACT": "contact.btn_chat",
        "PREF": f"contact.btn_{value}",
        "SUMMARY": f"summary.btn_{value}",
        "FIX": f"summary.btn_fix_{value}",
        "HUMAN": f"global.btn_human_{value}",
        "ERASE": f"erase.btn_{value}",
    }
    key = keys.get(kind)
    if key and key in deps.texts.keys():
        return deps.texts(key)
    return payload[:64]


# The helpline lines of a distress reply, after the one for the kind detected.
_DISTRESS_LINES = (*ALL_KINDS, "health")


def distress(deps: FlowDeps, kind: str, now: Any) -> Reply:
    """Helplines, the detected kind's first, and whether anyone reads the chat right now."""
    lead = kind if kind in ALL_KINDS else "danger"
    now = now or datetime.now(UTC)
    lines = [deps.texts("distress.intro"), deps.texts(f"distress.line_{lead}")]
    lines += [deps.texts(f"distress.line_{k}") for k in _DISTRESS_LINES if k != lead]
    if now is not None and deps.office.is_open(now):
        lines.append(deps.texts("distress.staff_open"))
    else:
        lines.append(deps.texts("distress.staff_closed", eta=eta(deps, now)))
    return Reply(text="\n".join(lines))


def faq_answer(deps: FlowDeps, topic: str, at: str, now: Any) -> Reply:
    """The catalogue's answer to a youth's question, fitted to the current step."""
    key = answer_key(topic, at, deps.texts.keys())
    return reply(deps, key, **({"eta": eta(deps, now)} if topic == "when_answer" else {}))
