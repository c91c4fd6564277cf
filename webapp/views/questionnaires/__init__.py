"""The questionnaire pages: answering and following up, the builder, the results."""

from . import answers, builder, results

blueprints = (answers.bp, builder.bp, results.bp)
