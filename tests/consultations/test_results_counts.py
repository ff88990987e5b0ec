"""Results come from kept counts (results/counts.py), so that they cost the same whatever the number of respondents.
The numbers must be exactly those of the straightforward computation, which reads every answer: on randomised data
(many seeds), with people submitting, changing their answers, re-submitting unchanged, leaving answers empty, saving
drafts and having a guardian withdraw, the counts give the same tallies, group sizes and cross tables as counting
every answer again, before and after they are folded; and the pages show the same."""

import random
import re

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from consultation_support import city, people, signed_in, urls
from youth_portal.accounts.models import User
from youth_portal.consultations.models import Answer, Consultation, Response, ResultCount
from youth_portal.consultations.participation import personal_data
from youth_portal.consultations.public import answering
from youth_portal.consultations.results import counts, tallies
from youth_portal.extensions import db
from youth_portal.questionnaires import AnswerValue, kind_for
from youth_portal.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("english")

TOKEN = r'name="csrf_token" value="[^"]*"'
DISTRICTS = ["Centro", "Norte", "Sur"]
GENDERS = ["woman", "man", "non-binary", "self-described", "prefer-not-to-say", None]


def straightforward(consultation: Consultation, dimensions: list[str]) -> tuple:
    """Count every answer of every counted response again, as the results were computed before the counts were
    kept: how many responded, the tallies and each dimension's group sizes and cross tables."""
    questions = list(consultation.questions)
    groups = {dimension: tallies.groups_for(dimension, consultation) for dimension in dimensions}
    keys = {q.id: kind_for(q).answer_keys(q) for q in questions}
    answered = {q.id: 0 for q in questions}
    wrote = {q.id: 0 for q in questions}
    counted = {q.id: [0] * len(keys[q.id]) for q in questions}
    rank_sums = {q.id: [0] * len(keys[q.id]) for q in questions}
    sizes = {d: [0] * len(groups[d]) for d in dimensions}
    cross = {d: {q.id: [[0] * len(groups[d]) for _ in keys[q.id]] for q in questions} for d in dimensions}
    responses = db.session.scalars(sa.select(Response).where(Response.counted_in(consultation))).all()

    def column(dimension: str, response: Response) -> int:
        value = {"age": response.age_band, "gender": response.gender, "district": response.district}[dimension]
        index = {group.key: i for i, group in enumerate(groups[dimension])}
        return index.get(value, len(index) - 1)

    for response in responses:
        for dimension in dimensions:
            sizes[dimension][column(dimension, response)] += 1
        for answer in response.answers:
            question = next(q for q in questions if q.id == answer.question_id)
            if answer.text and answer.text.strip() and kind_for(question).has_free_text(answer.choices):
                wrote[question.id] += 1
            tally = kind_for(question).tally(question, answer.choices, answer.number)
            if not tally.answered:
                continue
            answered[question.id] += 1
            for key, count in tally.counts.items():
                i = keys[question.id].index(key)
                counted[question.id][i] += count
                for dimension in dimensions:
                    cross[dimension][question.id][i][column(dimension, response)] += count
            for key, place in tally.rank_sums.items():
                rank_sums[question.id][keys[question.id].index(key)] += place
    breakdowns = {d: (sizes[d], cross[d]) for d in dimensions}
    return len(responses), tallies.Tallies(answered, counted, rank_sums, wrote), breakdowns


def kept(consultation: Consultation, dimensions: list[str]) -> tuple:
    numbers = tallies._counted(consultation, list(consultation.questions), dimensions)
    return numbers.responses, numbers.tallies, numbers.breakdowns


def random_sheet(rng: random.Random, consultation: Consultation) -> answering.AnswerSheet:
    """Answers as a person might give them: any option, several, none (left empty), other, a rating, a ranking."""
    answers = {}
    for question in consultation.questions:
        if rng.random() < 0.15:
            continue  # left empty
        keys = kind_for(question).answer_keys(question)
        if question.position == 1:
            answers[question.id] = AnswerValue(choices=[rng.choice(["park", "library", "other"])], text="Skate")
        elif question.position == 2:
            answers[question.id] = AnswerValue(choices=rng.sample(["sport", "music", "study"], rng.randint(1, 2)))
        elif question.position == 3:
            answers[question.id] = AnswerValue(choices=[rng.choice(["yes", "no"])])
        elif question.position == 4:
            answers[question.id] = AnswerValue(number=rng.randint(1, 5))
        elif question.position == 5:
            answers[question.id] = AnswerValue(choices=rng.sample(keys, rng.randint(1, 2)))
        else:
            answers[question.id] = AnswerValue(text=rng.choice(["Benches", "benches ", "Light", "Trees"]))
    return answering.AnswerSheet(answers, gender=rng.choice(GENDERS), district=rng.choice([*DISTRICTS, None]))


def play(app, seed: int, stage: str) -> int:
    """A consultation that a few dozen people answer in a random order of submissions, changes, re-submissions,
    drafts and withdrawals."""
    rng = random.Random(seed)
    with app.test_request_context():
        home = city()
        home.districts = DISTRICTS
        consultation = make_consultation(home, "open", ask_gender=True, ask_district=True)
        crowd = people(rng.randint(15, 40), prefix=f"seed{seed}", age=rng.choice([14, 16, 20, 27]))
        for person in crowd:
            person.birth_year = utcnow().year - rng.randint(13, 30)
        db.session.commit()
        for _step in range(len(crowd) * 2):
            person = rng.choice(crowd)
            action = rng.random()
            if action < 0.08:
                personal_data.withdraw(person)
            else:
                response = answering.response_of(person, consultation, lock=True)
                sheet = random_sheet(rng, consultation) if response is None or action < 0.7 else _same(response)
                answering.save(person, consultation, response, sheet, submit=action < 0.9, now=utcnow())
            db.session.commit()
        if stage == "closed":
            consultation.closes_at = utcnow()
            db.session.commit()
        return consultation.id


def _same(response: Response) -> answering.AnswerSheet:
    """The answers the person sent before, unchanged."""
    answers = {a.question_id: AnswerValue(list(a.choices or []), a.number, a.text) for a in response.answers}
    return answering.AnswerSheet(answers, gender=response.gender, district=response.district)


@pytest.mark.parametrize("seed", range(12))
def test_kept_counts_equal_counting_every_answer_again(app, client, cities, seed):
    consultation_id = play(app, seed, "open")
    with app.test_request_context():
        consultation = db.session.get(Consultation, consultation_id)
        for dimensions in ([], ["age"], ["gender"], ["district"], ["age", "gender", "district"]):
            assert kept(consultation, dimensions) == straightforward(consultation, dimensions), dimensions
        counts.fold(consultation_id)
        db.session.expire_all()
        folded_rows = db.session.scalar(sa.select(sa.func.count(ResultCount.id)))
        assert kept(consultation, ["age", "gender", "district"]) == straightforward(
            consultation, ["age", "gender", "district"]
        )
        counts.rebuild(consultation)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(ResultCount.id))) == folded_rows


@pytest.mark.parametrize("seed", range(3))
def test_the_pages_show_the_same_numbers_from_kept_counts_as_from_counting_again(app, client, cities, seed):
    """Staff and public pages, overall and by each dimension, and the JSON summary: the same when the counts were
    kept submission by submission as when every answer is counted again."""
    consultation_id = play(app, 100 + seed, "closed")
    links = urls(consultation_id)
    pages = [links["staff"] + by for by in ("", "?by=age", "?by=gender", "?by=district")] + [links["json"]]

    def seen() -> list[str]:
        staff = signed_in(app.test_client())
        return [
            re.sub(r'name="csrf_token" value="[^"]*"', "", staff.get(page).get_data(as_text=True)) for page in pages
        ]

    before = seen()
    with app.app_context():
        db.session.execute(sa.delete(ResultCount))
        db.session.execute(sa.text("DELETE FROM result_releases"))
        counts.rebuild(db.session.get(Consultation, consultation_id))
        db.session.commit()
    assert seen() == before


def test_a_reader_folds_many_rows_into_their_sums_and_the_numbers_stay(app, client, cities, monkeypatch):
    consultation_id = play(app, 7, "open")
    with app.test_request_context():
        consultation = db.session.get(Consultation, consultation_id)
        rows = db.session.scalar(sa.select(sa.func.count(ResultCount.id)))
        expected = straightforward(consultation, ["age"])
        monkeypatch.setattr(counts, "FOLD_AFTER", 10)
        assert kept(consultation, ["age"]) == expected  # read, then folded
        folded = db.session.scalar(sa.select(sa.func.count(ResultCount.id)))
        assert folded < rows
        assert kept(consultation, ["age"]) == expected
        sums = len(counts.sums(consultation, ["age", "gender", "district"]))
        assert folded == sums
        assert db.session.scalar(sa.select(sa.func.count(Answer.id))) > 0
        assert db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def test_pages_fold_the_rows_they_read_and_answer_as_before(app, client, cities, monkeypatch):
    """A page that folds the counts (in a transaction of its own, beside the request's) answers normally, on a
    database where only one writer at a time is allowed too."""
    consultation_id = play(app, 11, "closed")
    links = urls(consultation_id)
    staff = signed_in(app.test_client())
    before = [re.sub(TOKEN, "", staff.get(links["staff"] + by).get_data(as_text=True)) for by in ("", "?by=age")]
    monkeypatch.setattr(counts, "FOLD_AFTER", 0)
    with app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count(ResultCount.id)))
        db.session.execute(sa.delete(sa.table("result_releases")))
        db.session.commit()
    after = [re.sub(TOKEN, "", staff.get(links["staff"] + by).get_data(as_text=True)) for by in ("", "?by=age")]
    assert after == before
    assert client.get(links["public"]).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ResultCount.id))) < rows
