"""Written answers (free texts, and the texts of "other"): read a page at a time, identical ones as one text with how
many people wrote it, approved as a quote once. Each answer keeps the key identical texts share (`Answer.text_key`),
so that the database groups and sorts them by an index and a page costs the same whatever the number of texts."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...extensions import db
from ...questionnaires import QuestionLike, kind_for
from ..models import Answer, Consultation, Response

#: Longest shared text kept whole in a key; a longer one keeps its beginning and a digest of the whole.
KEY_TEXT_LENGTH = 200


@dataclass
class FreeText:
    """A free text answer (or the text of "other"), with the identical ones (same_text) written by others: one
    text to read and approve once. `key` names it in forms without revealing an id."""

    key: str
    text: str
    approved: bool
    #: Identified mode, for staff only (the names of everyone who wrote it).
    author: str | None = None
    #: How many people wrote this text.
    count: int = 1


def same_text(text: str) -> str:
    """What identical texts have in common: their words, whatever the spaces around them and the letter case."""
    return " ".join(text.split()).casefold()


def text_key(text: str | None) -> str | None:
    """The key of a written answer (None when nothing is written): its shared text, sorted as written, cut to
    KEY_TEXT_LENGTH with a digest of the rest when longer (an index holds it)."""
    if not text or not text.strip():
        return None
    shared = same_text(text)
    if len(shared) <= KEY_TEXT_LENGTH:
        return shared
    return shared[:KEY_TEXT_LENGTH] + "\u2026" + hashlib.sha256(shared.encode()).hexdigest()[:16]


def key_of(question: QuestionLike, choices: list[str] | None, text: str | None) -> str | None:
    """The text key of an answer to `question`: None unless it holds a text someone wrote (a free text, or what
    "other" is when other was chosen)."""
    return text_key(text) if kind_for(question).has_free_text(choices) else None


def quote_key(answer_id: int) -> str:
    """An opaque, stable name for an answer in forms: its id (and so its order of writing) stays private."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"quote:{answer_id}".encode(), hashlib.sha256).hexdigest()[:24]


def _counted(consultation: Consultation, submitted_by: datetime | None):
    """The responses whose texts are read: those that count, or only those first submitted by `submitted_by`."""
    counted = Response.counted_in(consultation)
    return counted if submitted_by is None else sa.and_(counted, Response.submitted_at <= submitted_by)


def pages(
    consultation: Consultation,
    question_ids: list[int],
    *,
    approved_only: bool,
    with_authors: bool,
    submitted_by: datetime | None = None,
    limit: int,
    offset: int = 0,
) -> dict[int, list[FreeText]]:
    """For each question, the written texts from `offset` on, at most `limit`, sorted by text (so that their order
    tells nothing), in two queries whatever the number of texts: the groups (one statement for every question,
    each reading its index up to its page, with the text shown for each) and, in identified mode, who wrote them."""
    if not question_ids:
        return {}
    pages_of_groups = []
    for question_id in question_ids:
        found = sa.and_(
            Answer.question_id == question_id, Answer.text_key.is_not(None), _counted(consultation, submitted_by)
        )
        if approved_only:
            found = sa.and_(found, Answer.quote_approved_at.is_not(None))
        approved = sa.case((Answer.quote_approved_at.is_not(None), Answer.id))
        grouped = (
            sa.select(
                Answer.question_id,
                Answer.text_key,
                sa.func.count(Answer.id).label("writers"),
                sa.func.coalesce(sa.func.min(approved), sa.func.min(Answer.id)).label("shown_id"),
            )
            .join(Response, Answer.response_id == Response.id)
            .where(found)
            .group_by(Answer.question_id, Answer.text_key)
            .order_by(Answer.question_id, Answer.text_key)  # the index's order: read up to the page, no sort
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        shown = so.aliased(Answer)
        pages_of_groups.append(
            sa.select(grouped, shown.text, shown.quote_approved_at).join(shown, shown.id == grouped.c.shown_id)
        )
    groups = db.session.execute(sa.union_all(*pages_of_groups)).all()
    authors = _authors(consultation, groups, submitted_by) if with_authors and groups else {}
    texts: dict[int, list[FreeText]] = {question_id: [] for question_id in question_ids}
    for group in groups:
        text, approved_at = group.text, group.quote_approved_at
        names = ", ".join(sorted(authors.get((group.question_id, group.text_key), ()))) or None
        texts[group.question_id].append(
            FreeText(quote_key(group.shown_id), text or "", approved_at is not None, names, group.writers)
        )
    for found_texts in texts.values():
        found_texts.sort(key=lambda t: (text_key(t.text) or "", t.text, t.key))
    return texts


def _authors(consultation: Consultation, groups, submitted_by: datetime | None) -> dict[tuple, set[str]]:
    """Identified mode: the names of who wrote each group's text ("deleted account" for a deleted one)."""
    wanted = sa.or_(
        *(sa.and_(Answer.question_id == group.question_id, Answer.text_key == group.text_key) for group in groups)
    )
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.text_key, User.display_name, User.deleted_at)
        .join(Response, Answer.response_id == Response.id)
        .outerjoin(User, Response.user_id == User.id)  # an unlinked response has nobody
        .where(wanted, _counted(consultation, submitted_by))
    ).all()
    authors: dict[tuple, set[str]] = {}
    for question_id, key, display_name, deleted_at in rows:
        if display_name is None and deleted_at is None:
            continue
        name = display_name if deleted_at is None and display_name else str(_l("deleted account"))
        authors.setdefault((question_id, key), set()).add(name)
    return authors


def identical_answers(consultation: Consultation, answer: Answer) -> list[Answer]:
    """The submitted answers to the same question with the same text as `answer` (itself included), locked until
    the request commits, so that two approvals at once make one."""
    return list(
        db.session.scalars(
            sa.select(Answer)
            .join(Response, Answer.response_id == Response.id)
            .where(
                Response.counted_in(consultation),
                Answer.question_id == answer.question_id,
                Answer.text_key == answer.text_key,
            )
            .order_by(Answer.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def find(consultation: Consultation, key: str) -> Answer | None:
    """The submitted written answer a quote key names, within this consultation only."""
    ids = db.session.scalars(
        sa.select(Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.counted_in(consultation), Answer.text_key.is_not(None))
    )
    answer_id = next((i for i in ids if hmac.compare_digest(quote_key(i), key)), None)
    return db.session.get(Answer, answer_id) if answer_id is not None else None
