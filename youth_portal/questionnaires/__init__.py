"""Questionnaires: the question engine any questionnaire uses (consultations now; council applications and
opportunity sign-up questions next). It knows nothing of the feature that asks: a question is any object with the
columns of `kinds.base.QuestionLike`, an answer any object with choices, number and text.

    kind = kind_for(question)                # the question's kind (one class per kind, in kinds/)
    kind.answer_field(question, language, fallback, final=True)   # answering: form field, with its checks
    kind.answer_value(question, data, other_text)                 # form data -> what is stored
    kind.tally(question, choices, number)                         # one answer's tally; tallies add up
    kind.export_cell(answer, kind.export_labels(question, ...))   # CSV cell; kind.summary(result) for JSON
    kind.answer_lines(question, answer, language, fallback)       # an answer in words
    kind.settings_fields(), kind.settings_values(form)            # what staff set for the kind, in the builder
"""

from .kinds import KINDS, kind_for
from .kinds.base import OTHER, AnswerValue, Kind, QuestionLike, Tally

__all__ = ["KINDS", "OTHER", "AnswerValue", "Kind", "QuestionLike", "Tally", "kind_for"]
