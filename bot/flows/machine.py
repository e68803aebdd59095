"""The intake's state graph: one module-level `transitions` machine for every conversation.

The machine holds no model (`model=None`): a conversation's state is a string in the
store, loaded into a throw-away cursor, moved by `advance`, and saved back.
"""

from __future__ import annotations

from transitions import Machine, MachineError

# Questions, in the order they are asked; each collects one profile field.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("ask_name", "first_name"),
    ("ask_age", "age"),
    ("ask_commune", "commune_code"),
    ("ask_need", "need"),
    ("ask_contact", "contact_kind"),
    ("ask_availability", "availability"),
)
QUESTION_STATES = tuple(state for state, _ in QUESTIONS)

STATES = [
    "new",  # nothing said yet
    "welcome",  # welcome shown, waiting for start / what is it / no thanks
    *QUESTION_STATES,
    "need_other",  # the youth chose "something else": free text
    "outside",  # commune outside the Meuse: a human anyway?
    "summary",  # everything collected: confirm or fix
    "fix_which",  # which field to fix
    "offer_human",  # two misses in a row: hand over?
    "confirm_erase",  # "delete my data": confirm
    "done",  # a ticket was opened (or is closed and the youth may come back)
    "declined",  # said no thanks, or left outside the Meuse
    "ended",  # out of the age range: data dropped
]

# Where each kind of move may start from. A move from anywhere else is a bug the
# property tests catch (InvalidMove).
_EVERYWHERE = list(STATES)  # requests valid at any step: erase, a person, distress, restart
_RETURNABLE = ["new", "declined", "ended", "done"]  # greeted again when the youth comes back
_MISSABLE = ["welcome", *QUESTION_STATES, "need_other", "outside", "summary", "fix_which"]
# Moving on to the next question: after an answer, a fix, a start, a return or a handback.
_MOVING_ON = [
    "welcome",
    *QUESTION_STATES,
    "need_other",
    "fix_which",
    *_RETURNABLE,
    "offer_human",
    "confirm_erase",
]
_DETOURS = ["offer_human", "confirm_erase"]  # they go back to where the youth was

TRANSITIONS: list[dict[str, object]] = [
    {"trigger": "greet", "source": _RETURNABLE, "dest": "welcome"},
    {"trigger": "restart", "source": _EVERYWHERE, "dest": "new"},
    {"trigger": "decline", "source": ["welcome", "outside"], "dest": "declined"},
    {"trigger": "refuse_age", "source": "ask_age", "dest": "ended"},
    {"trigger": "leave_meuse", "source": "ask_commune", "dest": "outside"},
    {"trigger": "describe_need", "source": "ask_need", "dest": "need_other"},
    {"trigger": "review", "source": _MOVING_ON, "dest": "summary"},
    {"trigger": "pick_fix", "source": ["summary", "fix_which"], "dest": "fix_which"},
    {"trigger": "offer_human", "source": _MISSABLE, "dest": "offer_human"},
    {"trigger": "ask_erase", "source": _EVERYWHERE, "dest": "confirm_erase"},
    {"trigger": "hand_off", "source": _EVERYWHERE, "dest": "done"},
    {"trigger": "forget", "source": "confirm_erase", "dest": "new"},
]
# One trigger per question.
for _state in QUESTION_STATES:
    TRANSITIONS.append({"trigger": f"to_{_state}", "source": _MOVING_ON, "dest": _state})
# Returning to where one was after a detour (erase cancelled, human declined).
for _state in STATES:
    TRANSITIONS.append({"trigger": f"back_to_{_state}", "source": _DETOURS, "dest": _state})

MACHINE = Machine(
    model=None,
    states=STATES,
    transitions=TRANSITIONS,
    initial="new",
    auto_transitions=False,
    send_event=False,
)


class _Cursor:
    """A throw-away model holding one conversation's state for one transition."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


class InvalidMove(Exception):
    """The flow asked for a transition the graph does not allow: a bug, not bad input."""


def advance(state: str, trigger: str) -> str:
    """The state reached from `state` by `trigger`, checked against the graph."""
    if state not in MACHINE.states:
        state = "new"
    cursor = _Cursor(state)
    event = MACHINE.events.get(trigger)
    if event is None:
        raise InvalidMove(f"unknown trigger {trigger}")
    try:
        event.trigger(cursor)
    except MachineError as exc:
        raise InvalidMove(f"{trigger} is not allowed from {state}") from exc
    return cursor.state
