"""The intake flow: a pure step from (state, profile, input) to (state, profile, replies, effects)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from bot.events import Reply
from bot.flows import prompts
from bot.flows.machine import QUESTIONS, STATES, advance
from bot.flows.prompts import FlowDeps, reply
from bot.nlu.age import parse_age
from bot.nlu.availability import SLOTS, parse_availability
from bot.nlu.contact import parse_contact
from bot.nlu.early import find_commune
from bot.nlu.fixes import default_fixes
from bot.nlu.names import parse_first_name
from bot.nlu.need import NEEDS, parse_need
from bot.nlu.reading import Reading
from bot.nlu.welcome import default_welcome
from bot.nlu.yesno import parse_yes_no
from bot.store.records import split_scratch

MIN_AGE, MAX_AGE = 16, 29
MISSES_BEFORE_HUMAN = 2
# Kept when given before their question (or again after it: a new number replaces the old one).
UNASKED_SLOTS = ("need", "commune", "age", "first_name", "phone", "email", "availability")
NEED_TEXT_MAX = 200

# The flow's working values in the conversation's scratch, never in the youth's profile.
WORKING_KEYS = ("return_to", "candidates", "postcode", "offered_human", "early")

EffectKind = Literal["consent", "open_ticket", "drop_profile", "pause", "erase"]


@dataclass(frozen=True, slots=True)
class Effect:
    kind: EffectKind
    priority: Literal["urgent", "normal"] = "normal"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class FlowInput:
    kind: str  # text / button / attachment / start / referral
    text: str = ""
    payload: str = ""
    attachments: tuple[str, ...] = ()
    now: datetime | None = None
    channel: str = "web"


@dataclass(slots=True)
class StepResult:
    state: str
    profile: dict[str, Any]
    misses: int = 0
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)  # working values, never shown

    def has(self, kind: EffectKind) -> bool:
        return any(e.kind == kind for e in self.effects)


@dataclass(slots=True)
class _Turn:
    """The mutable working copy of one step."""

    deps: FlowDeps
    state: str
    profile: dict[str, Any]
    misses: int
    inp: FlowInput
    consented: bool
    scratch: dict[str, Any] = field(default_factory=dict)
    reading: Reading = field(default_factory=Reading)
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)  # earlier answers this message changed

    def say(self, key: str, *buttons: tuple[str, str], **values: Any) -> None:
        self.replies.append(reply(self.deps, key, *buttons, **values))

    def move(self, trigger: str) -> None:
        state = advance(self.state, trigger)
        if state != self.state:
            self.misses = 0  # misses count within one question only
        self.state = state

    def ask(self) -> None:
        self.replies.append(prompts.question(self.deps, self.state, self.profile))

    def keep_unasked(self) -> None:
        """Answers given before their question ("un taf vers Verdun"): kept until consent."""
        given = {k: v for k, v in self.reading.slots.items() if k in UNASKED_SLOTS}
        if given:
            self.scratch["early"] = {**self.scratch.get("early", {}), **given}

    def apply_corrections(self) -> None:
        """An earlier answer corrected at a later step ("en vrai j'ai 18"): replaced now."""
        if not self.consented or self.state not in _CORRECTABLE_AT:
            return
        given, fixes = self.reading.slots, default_fixes()
        changed = [
            k
            for k in UNASKED_SLOTS
            if k in given
            and self.profile.get(k)
            and self.profile.get(k) != given[k]
            and self._acceptable(k, given[k])
            and not (k == "need" and fixes.adds(self.inp.text))
        ]
        at_summary = self.state == "summary"
        if not changed or not fixes.corrects(self.inp.text, at_summary=at_summary):
            return
        for key in changed:
            if key not in ("phone", "email"):  # those replace the old contact, keeping its pref
                for cleared in _FIX_KEYS[key]:
                    self.profile.pop(cleared, None)
        self.scratch["early"] = {**self.scratch.get("early", {}), **{k: given[k] for k in changed}}
        self.apply_unasked()
        self.corrected = changed

    def _acceptable(self, key: str, value: object) -> bool:
        """Whether a corrected value would be kept by its question (else the old one stays)."""
        if key == "age":
            return isinstance(value, int) and MIN_AGE <= value <= MAX_AGE
        if key == "commune":
            return self.deps.communes.named(str(value)) is not None
        return True

    def apply_unasked(self) -> None:
        """Fill the fields answered early, so their questions are skipped."""
        early = self.scratch.pop("early", None) or {}
        p = self.profile
        for key, value in early.items():
            if key == "commune" and not p.get("commune_code"):
                commune = self.deps.communes.named(str(value))
                if commune is not None:  # Meuse communes only: others get their question
                    p.update(
                        commune=commune.name,
                        commune_code=commune.code,
                        departement=commune.departement,
                        territory=commune.epci,
                    )
            elif key == "age" and not p.get("age"):
                if self._acceptable("age", value):
                    p["age"] = value  # out of range: the age question says so kindly
            elif key in ("need", "first_name", "availability") and not p.get(key):
                p[key] = value
            elif key in ("phone", "email"):
                pref = p.get("contact_pref") if key == "phone" else None
                _clear_contact(p)
                p.update({"contact_kind": key, key: value})
                if pref:
                    p["contact_pref"] = pref

    def next_question(self) -> None:
        """Go to the first question not answered yet, or to the summary."""
        self.misses = 0
        self.scratch.pop("offered_human", None)  # understood: a fresh start for this question
        if self.consented:
            self.apply_unasked()
        for state, key in QUESTIONS:
            if not self.profile.get(key):
                self.move(f"to_{state}")
                self.ask()
                return
        self.move("review")
        self.ask()

    def miss(self, key: str, *buttons: tuple[str, str], **values: Any) -> None:
        """An answer not understood: a kind re-ask, or after two, the offer of a human."""
        if self.corrected:  # "en vrai j'ai 18" at the commune question: noted, no miss
            self.say("summary.corrected")
            self.ask()
            return
        self.misses += 1
        if self.misses >= MISSES_BEFORE_HUMAN and self.scratch.get("offered_human"):
            # Offered a person once already and still stuck: hand over rather than loop.
            self.open_ticket("misunderstood")
            self.say("handoff.human_now", eta=prompts.eta(self.deps, self.inp.now))
        elif self.misses >= MISSES_BEFORE_HUMAN:
            self.scratch["offered_human"] = True
            self.scratch["return_to"] = self.state
            self.move("offer_human")
            self.misses = 0
            self.ask()
        else:
            self.say(key, *buttons, **values)

    def open_ticket(self, reason: str, priority: Literal["urgent", "normal"] = "normal") -> None:
        if not self.consented:
            self.effects.append(Effect("consent"))
            self.consented = True
        self.effects.append(Effect("open_ticket", priority=priority, reason=reason))
        self.deps.routing.route_profile(self.profile)
        self.drop_working()
        self.move("hand_off")

    def drop_working(self) -> None:
        """Forget the flow's own working values; other scratch values (a nudge sent) stay."""
        for key in WORKING_KEYS:
            self.scratch.pop(key, None)

    def forget(self) -> None:
        """Nothing collected is kept: a refusal, an erasure, a restart."""
        self.profile = {}
        self.drop_working()

    def payload(self, prefix: str) -> str | None:
        kind, _, value = self.inp.payload.partition(":")
        if self.inp.kind == "button" and kind == prefix:
            return value or kind
        return None


def step(
    deps: FlowDeps,
    state: str,
    profile: dict[str, Any],
    misses: int,
    inp: FlowInput,
    *,
    consented: bool,
    scratch: dict[str, Any] | None = None,
) -> StepResult:
    """One turn of the intake in bot mode. Pure: nothing is stored here."""
    profile, scratch = split_scratch(profile, dict(scratch or {}))
    state = state if state in STATES else "new"
    misses = max(0, min(misses, MISSES_BEFORE_HUMAN - 1))
    if inp.kind == "attachment" and inp.text.strip():
        inp = replace(inp, kind="text")  # a photo's caption is read as what the youth wrote
    turn = _Turn(deps, state, dict(profile), misses, inp, consented, scratch)
    if inp.kind == "text":
        turn.inp = inp = _numbered_option(deps, state, profile, inp)
    if inp.kind == "text":
        turn.reading = read(deps, state, profile, inp)
        turn.keep_unasked()
        turn.apply_corrections()
    if not _global(turn):
        if inp.kind == "attachment":
            _attachment(turn)
        else:
            HANDLERS.get(turn.state, _new)(turn)
    return StepResult(
        turn.state, turn.profile, turn.misses, turn.replies, turn.effects, turn.scratch
    )


# --- commands valid at any step --------------------------------------------
def read(deps: FlowDeps, state: str, profile: dict[str, Any], inp: FlowInput) -> Reading:
    """The reading of a text message at `state`."""
    today = (inp.now or datetime.now()).date()
    age = profile.get("age") if isinstance(profile.get("age"), int) else None
    return deps.reader.read(inp.text, state, age=age, today=today, communes=deps.communes)


_NO_BUTTONS = ("new", "done", "declined", "ended")  # states whose question is the welcome


def _numbered_option(
    deps: FlowDeps, state: str, profile: dict[str, Any], inp: FlowInput
) -> FlowInput:
    """ "2" where buttons were shown as a numbered list: the second button."""
    text = inp.text.strip().rstrip(".)")
    if not (text.isascii() and text.isdigit()) or len(text) > 2 or state in _NO_BUTTONS:
        return inp
    buttons = prompts.question(deps, state, profile).buttons
    index = int(text) - 1
    if 0 <= index < len(buttons):
        return replace(inp, kind="button", payload=buttons[index].payload, text="")
    return inp


def _global(turn: _Turn) -> bool:
    """The signals that come before the answer: distress, stop/erase, person, question."""
    inp, reading = turn.inp, turn.reading
    if reading.distress:
        turn.replies.append(prompts.distress(turn.deps, reading.distress, inp.now))
        turn.open_ticket("distress", priority="urgent")
        return True
    if reading.has("erase"):
        if turn.state != "confirm_erase":
            turn.scratch["return_to"] = turn.state
        turn.move("ask_erase")
        turn.ask()
        return True
    if reading.has("stop"):
        turn.effects.append(Effect("pause"))
        turn.say("global.stopped")
        return True
    if reading.has("person"):
        turn.open_ticket("asked_human")
        turn.say("handoff.human_now", eta=prompts.eta(turn.deps, inp.now))
        return True
    if reading.topic:
        _question(turn, reading.topic)
        return True
    return _command(turn)


def _question(turn: _Turn, topic: str) -> None:
    """Answer the question; store an answer given with it, else ask the step's question again."""
    if turn.state == "welcome" and topic in ("who", "why_asked", "mission_locale"):
        # "c'est quoi ?" before anything started: what the network is, then the choice again.
        turn.say("welcome.what_is_it", ("welcome.btn_start", "START"), ("welcome.btn_no", "NO"))
        return
    turn.replies.append(prompts.faq_answer(turn.deps, topic, turn.state, turn.inp.now))
    if turn.state in ("new", "done", "declined", "ended") or turn.reading.slots:
        HANDLERS.get(turn.state, _new)(turn)
    else:
        turn.ask()


def _command(turn: _Turn) -> bool:
    """Restart, resume, help and privacy: whole-message commands."""
    inp, intents = turn.inp, turn.reading.intents
    if "restart" in intents:
        turn.move("restart")
        if not turn.consented:
            turn.move("greet")
            turn.ask()
        else:
            turn.forget()
            turn.say("global.restarted")
            turn.next_question()
    elif "resume" in intents:
        if turn.state in ("new", "declined", "ended", "done", "welcome"):
            return False
        turn.ask()
    elif "help" in intents and turn.state == "welcome":  # "what is this?": explain the network
        turn.say("welcome.what_is_it", ("welcome.btn_start", "START"), ("welcome.btn_no", "NO"))
    elif "help" in intents:
        turn.say("global.help")
        if turn.state not in ("new", "done", "declined", "ended"):
            turn.ask()
    elif "privacy" in intents:
        turn.replies.append(prompts.privacy_notice(turn.deps, inp.channel))
        if turn.state not in ("new", "done", "declined", "ended"):
            turn.ask()
    else:
        return False
    return True


def _attachment(turn: _Turn) -> None:
    kinds = set(turn.inp.attachments)
    if kinds & {"audio", "voice"}:
        turn.say("global.voice")
    elif kinds & {"image", "video"}:
        turn.say("global.image")
    elif "sticker" in kinds:
        turn.say("global.sticker")
    else:
        turn.say("global.attachment")


# --- states ------------------------------------------------------------------
def _new(turn: _Turn) -> None:
    """First contact, or coming back after a no, an age refusal or a closed ticket."""
    name = turn.profile.get("first_name")
    if turn.consented and name:
        turn.say("welcome.returning", first_name=name)
        turn.next_question()
        return
    turn.move("greet")
    turn.ask()


def _welcome(turn: _Turn) -> None:
    choice = turn.payload("START") and "start"
    choice = choice or (turn.payload("WHAT") and "what") or (turn.payload("NO") and "no")
    if choice is None and turn.inp.kind == "text":
        answer = parse_yes_no(turn.inp.text, offer=True)
        choice = {True: "start", False: "no", None: None}[answer]
        if choice is None and turn.reading.has("resume"):
            choice = "start"
        if choice is None and default_welcome().asks_what(turn.inp.text):
            choice = "what"
    if choice == "start":
        turn.effects.append(Effect("consent"))
        turn.consented = True
        turn.next_question()
    elif choice == "what":
        turn.say(
            "welcome.what_is_it",
            ("welcome.btn_start", "START"),
            ("welcome.btn_no", "NO"),
        )
    elif choice == "no":
        turn.move("decline")
        turn.forget()
        turn.effects.append(Effect("drop_profile"))
        turn.say("welcome.declined")
    else:
        turn.miss(
            "welcome.reask",
            ("welcome.btn_start", "START"),
            ("welcome.btn_what", "WHAT"),
            ("welcome.btn_no", "NO"),
        )


def _ask_name(turn: _Turn) -> None:
    name, problem = parse_first_name(turn.inp.text, turn.deps.communes)
    if name:
        turn.profile["first_name"] = name
        turn.next_question()
    else:
        turn.miss(f"name.{problem or 'not_a_name'}")


def _ask_age(turn: _Turn) -> None:
    today = (turn.inp.now or datetime.now()).date()
    age = parse_age(turn.inp.text, today)
    if age is None:
        turn.miss("age.reask")
        return
    name = turn.profile.get("first_name", "")
    if age < MIN_AGE or age > MAX_AGE:
        turn.say("age.too_young" if age < MIN_AGE else "age.too_old", first_name=name, **_ml(turn))
        turn.forget()
        turn.effects.append(Effect("drop_profile"))
        turn.move("refuse_age")
        return
    turn.profile["age"] = age
    turn.next_question()


def _ml(turn: _Turn) -> dict[str, str]:
    return {"mission_locale_contact": turn.deps.mission_locale_contact}


def _ask_commune(turn: _Turn) -> None:
    picked = turn.payload("COMMUNE")
    if picked == "other":
        turn.scratch.pop("candidates", None)
        turn.say("commune.type_name")
        return
    communes = turn.deps.communes
    if picked:
        commune = communes.by_code(picked)
        if commune is not None:
            _set_commune(turn, commune)
            return
    within = turn.scratch.get("postcode")
    # Where the youth says they live, beside other places: "j'suis d'Ancerville mais je bosse
    # à Saint-Dizier", "Montmédy. faut que j'aille jusqu'à Bar-le-Duc ?".
    stated = (
        find_commune(turn.inp.text, communes, landmarks=False)
        if turn.inp.text and not within
        else None
    )
    if stated is not None and (commune := communes.named(stated)) is not None:
        _set_commune(turn, commune)
        return
    match = communes.match(turn.inp.text, within=within) if turn.inp.text else None
    if (match is None or match.kind == "none") and within:
        match = communes.match(turn.inp.text)
    if match is None or match.kind == "none":
        turn.miss("commune.reask")
        return
    if match.kind == "found":
        _set_commune(turn, match.communes[0])
        return
    if match.kind == "postcode":
        codes = [c.code for c in match.communes]
        turn.scratch["postcode"] = codes
        turn.misses = 0
        turn.say(
            "commune.postcode",
            *_commune_buttons(match.communes[:3]),
            ("commune.btn_other", "COMMUNE:other"),
            postcode=match.postcode or "",
            count=len(codes),
        )
        return
    turn.misses = 0
    turn.say(
        "commune.choices",
        *_commune_buttons(match.communes[:3]),
        ("commune.btn_other", "COMMUNE:other"),
    )


def _commune_buttons(communes: Any) -> list[tuple[str, str]]:
    # Commune names are data, not catalogue keys: they are resolved by the caller below.
    return [(f"@{c.name}", f"COMMUNE:{c.code}") for c in communes]


def _set_commune(turn: _Turn, commune: Any) -> None:
    turn.scratch.pop("postcode", None)
    turn.profile.update(
        commune=commune.name,
        commune_code=commune.code,
        departement=commune.departement,
        territory=commune.epci,
    )
    # Outside the Meuse, unless a structure of the network serves that commune too.
    if commune.departement != "55" and turn.deps.routing.route(commune.code, commune.epci) is None:
        turn.profile["departement_name"] = turn.deps.communes.departement_name(commune.departement)
        turn.move("leave_meuse")
        turn.misses = 0
        turn.ask()
        return
    turn.profile.pop("departement_name", None)
    turn.next_question()


def _outside(turn: _Turn) -> None:
    answer = turn.payload("HUMAN")
    if answer is None and turn.inp.kind == "text":
        yes = parse_yes_no(turn.inp.text, offer=True)
        answer = {True: "yes", False: "no", None: None}[yes]
    if answer == "yes":
        turn.open_ticket("outside_meuse")
        turn.say("handoff.human_now", eta=prompts.eta(turn.deps, turn.inp.now))
    elif answer == "no":
        turn.forget()
        turn.effects.append(Effect("drop_profile"))
        turn.move("decline")
        turn.say("commune.outside_bye")
    else:
        turn.miss("commune.outside", **_outside_values(turn))


def _outside_values(turn: _Turn) -> dict[str, Any]:
    return {
        "commune": turn.profile.get("commune", ""),
        "departement": turn.profile.get("departement_name", ""),
        "mission_locale_finder_url": turn.deps.mission_locale_finder_url,
    }


def _ask_need(turn: _Turn) -> None:
    need = turn.payload("NEED")
    if need == "other":
        turn.move("describe_need")
        turn.ask()
        return
    if need not in NEEDS:
        need = parse_need(turn.inp.text) if turn.inp.kind == "text" else None
        if need == "other":
            turn.profile["need_text"] = turn.inp.text.strip()[:NEED_TEXT_MAX]
    if need is None:
        turn.miss("need.reask", *prompts.need_buttons())
        return
    turn.profile["need"] = need
    turn.next_question()


def _need_other(turn: _Turn) -> None:
    text = turn.inp.text.strip()
    if not text:
        turn.miss("need.other_ask")
        return
    turn.profile["need"] = parse_need(text) or "other"
    turn.profile["need_text"] = text[:NEED_TEXT_MAX]
    turn.next_question()


def _ask_contact(turn: _Turn) -> None:
    if turn.payload("CONTACT"):
        _clear_contact(turn.profile)
        turn.profile["contact_kind"] = "chat"
        turn.next_question()
        return
    pref = turn.payload("PREF")
    if pref in ("call", "sms"):
        turn.profile["contact_pref"] = pref
        turn.say("contact.need_number")
        return
    answer = parse_contact(turn.inp.text) if turn.inp.kind == "text" else None
    if answer is None or (answer.kind is None and answer.preference is None):
        turn.miss(
            "contact.reask",
            ("contact.btn_chat", "CONTACT:chat"),
        )
        return
    if answer.preference:
        turn.profile["contact_pref"] = answer.preference
    if answer.kind is None:
        turn.say("contact.need_number")
        return
    pref = turn.profile.get("contact_pref")
    _clear_contact(turn.profile)
    turn.profile["contact_kind"] = answer.kind
    if answer.kind == "phone":
        turn.profile["phone"] = answer.value
        if pref:
            turn.profile["contact_pref"] = pref
    elif answer.kind == "email":
        turn.profile["email"] = answer.value
    turn.next_question()


def _clear_contact(profile: dict[str, Any]) -> None:
    for key in ("contact_kind", "phone", "email", "contact_pref"):
        profile.pop(key, None)


def _ask_availability(turn: _Turn) -> None:
    slot = turn.payload("AVAIL")
    slots: tuple[str, ...] | None = (slot,) if slot in SLOTS else None
    if slots is None and turn.inp.kind == "text":
        slots = parse_availability(turn.inp.text)
    if not slots:
        turn.miss("availability.reask", *prompts.slot_buttons())
        return
    turn.profile["availability"] = list(slots)
    turn.next_question()


def _summary(turn: _Turn) -> None:
    choice = turn.payload("SUMMARY")
    if choice is None and turn.inp.kind == "text":
        if default_fixes().wants_fix(turn.inp.text):  # "rien à changer" is no correction
            choice = "fix"
        else:
            yes = parse_yes_no(turn.inp.text)
            choice = {True: "ok", False: "fix", None: None}[yes]
    if turn.corrected:
        # "c'est Stenay pas Étain", even with a "oui": changed, and summed up again before
        # anything is sent, so a misread correction is seen and can be undone.
        turn.say("summary.corrected")
        turn.ask()
        return
    if choice == "ok":
        turn.open_ticket("intake_done")
        where = {"phone": "where_phone", "email": "where_email"}.get(
            turn.profile.get("contact_kind", ""), "where_chat"
        )
        structure = turn.deps.routing.get(turn.profile.get("structure"))
        values = {"structure": structure.name} if structure else {}
        turn.say(
            "territories.done" if structure else "handoff.done",
            first_name=turn.profile.get("first_name", ""),
            eta=prompts.eta(turn.deps, turn.inp.now),
            where=turn.deps.texts(f"handoff.{where}"),
            **values,
        )
    elif choice == "fix":
        turn.move("pick_fix")
        turn.ask()
    else:
        turn.miss(
            "summary.reask", ("summary.btn_ok", "SUMMARY:ok"), ("summary.btn_fix", "SUMMARY:fix")
        )


_FIX_KEYS = {
    "first_name": ("first_name",),
    "age": ("age",),
    "commune": ("commune", "commune_code", "departement", "territory", "departement_name"),
    "need": ("need", "need_text"),
    "contact": ("contact_kind", "phone", "email", "contact_pref"),
    "availability": ("availability",),
}


# The steps where an earlier answer corrected in passing is read.
_CORRECTABLE_AT = frozenset({*(state for state, _ in QUESTIONS), "summary"})


def _fix_which(turn: _Turn) -> None:
    target = turn.payload("FIX")
    if target is None and turn.inp.kind == "text":
        target = default_fixes().field(turn.inp.text)
    if target not in _FIX_KEYS:
        turn.miss("summary.fix_which", *((f"summary.btn_fix_{f}", f"FIX:{f}") for f in _FIX_KEYS))
        return
    for key in _FIX_KEYS[target]:
        turn.profile.pop(key, None)
    turn.next_question()


def _offer_human(turn: _Turn) -> None:
    answer = turn.payload("HUMAN")
    if answer is None and turn.inp.kind == "text":
        yes = parse_yes_no(turn.inp.text, offer=True)
        answer = {True: "yes", False: "no", None: None}[yes]
    back_to = _valid_state(turn.scratch.pop("return_to", None), "welcome")
    if answer == "yes":
        turn.open_ticket("misunderstood")
        turn.say("handoff.human_now", eta=prompts.eta(turn.deps, turn.inp.now))
        return
    turn.move(f"back_to_{back_to}")
    turn.misses = 0
    if answer == "no":
        turn.say("global.continue")
        turn.ask()
        return
    # Anything else is taken as a new try at the question that was pending.
    HANDLERS.get(turn.state, _new)(turn)


def _confirm_erase(turn: _Turn) -> None:
    answer = turn.payload("ERASE")
    if answer is None and turn.inp.kind == "text":
        yes = parse_yes_no(turn.inp.text)
        answer = {True: "yes", False: "no", None: None}[yes]
    back_to = _valid_state(turn.scratch.pop("return_to", None), "new")
    if answer == "yes":
        turn.forget()
        turn.effects.append(Effect("erase"))
        turn.move("forget")
        turn.say("erase.done")
        return
    turn.move(f"back_to_{back_to}")
    turn.say("erase.cancelled")
    if answer is None:
        HANDLERS.get(turn.state, _new)(turn)
    elif turn.state not in ("new", "done", "declined", "ended"):
        turn.ask()


def _valid_state(state: Any, default: str) -> str:
    return state if isinstance(state, str) and state in STATES else default


def _done(turn: _Turn) -> None:
    """Back in bot mode after a ticket: greet by name and confirm what is known."""
    _new(turn)


HANDLERS: dict[str, Callable[[_Turn], None]] = {
    "new": _new,
    "welcome": _welcome,
    "declined": _new,
    "ended": _new,
    "ask_name": _ask_name,
    "ask_age": _ask_age,
    "ask_commune": _ask_commune,
    "outside": _outside,
    "ask_need": _ask_need,
    "need_other": _need_other,
    "ask_contact": _ask_contact,
    "ask_availability": _ask_availability,
    "summary": _summary,
    "fix_which": _fix_which,
    "offer_human": _offer_human,
    "confirm_erase": _confirm_erase,
    "done": _done,
}


def resume(deps: FlowDeps, state: str, profile: dict[str, Any]) -> tuple[str, list[Reply]]:
    """Where a conversation given back to the bot continues, and what the bot says."""
    profile, _ = split_scratch(profile, {})
    turn = _Turn(deps, state, dict(profile), 0, FlowInput(kind="text"), consented=True)
    if state in ("done", "new", "declined", "ended", "offer_human", "confirm_erase"):
        turn.next_question()
    else:
        turn.ask()
    return turn.state, turn.replies


__all__ = ["Effect", "FlowInput", "StepResult", "read", "resume", "step"]
