"""Understanding youths' messages: intents, questions, distress and slot answers."""
