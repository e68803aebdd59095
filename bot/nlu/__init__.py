"""Understanding youths' messages: slot answers, intents, distress, questions."""
