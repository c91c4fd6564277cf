"""Forms of the questionnaire domain. The answer form itself is built at run time from the
questions (`workflows.questionnaires.fields`)."""
