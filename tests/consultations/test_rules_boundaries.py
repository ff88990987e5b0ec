"""Suppression at its exact boundary, for the city's own k: k-1 people are "fewer than k", k people are counted."""

import re

import pytest

from consultation_factory import add_response, make_consultation
from support import make_city, make_user
from youth_portal.statistics.suppression import suppress_counts
from youth_portal.timeutil import utcnow

YES_NO, SHORT_TEXT = 3, 6
#: The sentence that says how many people answered the consultation.
ANSWERED = r"(?:Fewer than \d+|\d+) (?:people|person) answered\."


def closed_consultation(app, k: int, respondents: int, wrote: int) -> int:
    """A closed consultation of a city whose k is `k`: `respondents` people answered yes, `wrote` of them also wrote
    a short text."""
    with app.app_context():
        city = make_city("murcia", suppression_k=k)
        made = make_consultation(city, "closed")
        for i in range(respondents):
            person = make_user(f"person-{i}@example.org", city=city, birth_year=utcnow().year - 20)
            answers = {YES_NO: {"choices": ["yes"]}} | ({SHORT_TEXT: {"text": f"Word {i}"}} if i < wrote else {})
            add_response(made, person, answers)
        return made.id


def public_results(client, consultation_id: int) -> str:
    response = client.get(f"/cities/murcia/consultations/{consultation_id}/results", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("k", [10, 12])
def test_k_minus_one_people_are_fewer_than_k(app, client, k):
    html = public_results(client, closed_consultation(app, k, k - 1, k - 1))
    assert re.findall(ANSWERED, html) == [f"Fewer than {k} people answered."]
    assert f"{k - 1} people answered" not in html


@pytest.mark.parametrize("k", [10, 12])
def test_k_people_are_counted(app, client, k):
    html = public_results(client, closed_consultation(app, k, k, k))
    assert re.findall(ANSWERED, html) == [f"{k} people answered."]
    assert "Fewer than" not in html


@pytest.mark.parametrize("k", [10, 12])
@pytest.mark.parametrize(("wrote", "hidden"), [(-1, True), (0, False)])
def test_a_question_answered_by_k_minus_one_is_fewer_than_k_and_by_k_is_counted(app, client, k, wrote, hidden):
    html = public_results(client, closed_consultation(app, k, k + 3, k + wrote))
    assert (f"Fewer than {k} people answered this question." in html) is hidden
    assert f"{k + 3} people answered." in html


@pytest.mark.parametrize("add_up", [True, False])
def test_a_question_answered_by_one_person_shows_no_counts(add_up):
    """Zeros beside a hidden count would tell what the one person said (the lowest total that must hide)."""
    assert suppress_counts([1, 0, 0], 1, 10, add_up=add_up) is None
    assert suppress_counts([0, 0, 0], 0, 10, add_up=add_up) is not None  # nobody answered: nothing to hide
