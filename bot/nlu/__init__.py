"""Reading youths' messages: intents, questions, distress and the current step's answer."""
