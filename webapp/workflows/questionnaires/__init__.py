"""The questionnaire domain's write side: answering (`responses`), building (`builder`), the
question types (`fields`) and who is reminded (`audience`)."""
