"""Ages: one rule (the birthday counts as the first of the birth month), tested on a table of birthdays before, in
and after the current month, and through the pages that use it with a frozen clock, in every month of the year; and
for the age of consent alone, the stricter rule (the last day of the birth month: tests/test_consent_attacks.py tries
it through the pages)."""

from datetime import UTC, date, datetime

import pytest

from support import login, make_city, make_user, submit
from youth_portal.accounts.models import User, age_on, consent_age_on

#: (today, birth year, birth month, age): birthdays the month before, the month of, and the month after today, in
#: January, June and December (where the month before or after is in another year).
AGES = [
    (date(2026, 1, 1), 1995, 12, 30),
    (date(2026, 1, 1), 1995, 1, 31),
    (date(2026, 1, 31), 1995, 2, 30),
    (date(2026, 1, 15), 1996, 1, 30),
    (date(2026, 1, 15), 1994, 12, 31),
    (date(2026, 6, 1), 1995, 5, 31),
    (date(2026, 6, 1), 1995, 6, 31),
    (date(2026, 6, 30), 1995, 7, 30),
    (date(2026, 12, 1), 1995, 11, 31),
    (date(2026, 12, 31), 1995, 12, 31),
    (date(2026, 12, 15), 1996, 1, 30),
    (date(2026, 12, 15), 2026, 12, 0),
    (date(2027, 1, 1), 2026, 12, 0),
    (date(2026, 3, 1), 2013, 3, 13),
    (date(2026, 2, 28), 2013, 3, 12),
]


@pytest.mark.parametrize(("today", "birth_year", "birth_month", "age"), AGES)
def test_age_counts_the_birthday_as_the_first_of_the_birth_month(today, birth_year, birth_month, age):
    assert age_on(today, birth_year, birth_month) == age
    assert User(birth_year=birth_year, birth_month=birth_month).age_on(today) == age


#: (today, birth year, birth month, age for consent): the birthday is the last day of the birth month.
CONSENT_AGES = [
    (date(2026, 3, 1), 2012, 3, 13),
    (date(2026, 3, 30), 2012, 3, 13),
    (date(2026, 3, 31), 2012, 3, 14),
    (date(2026, 4, 30), 2012, 4, 14),
    (date(2026, 4, 29), 2012, 4, 13),
    (date(2026, 12, 31), 2012, 12, 14),
    (date(2027, 1, 1), 2012, 12, 14),
    (date(2026, 12, 30), 2012, 12, 13),
    (date(2026, 2, 28), 2012, 2, 13),  # born in a leap year's February: the 29th, a day 2026 lacks
    (date(2026, 3, 1), 2012, 2, 14),
    (date(2028, 2, 28), 2013, 2, 15),  # born in a February of 28 days
    (date(2026, 5, 31), 2012, 4, 14),
]


@pytest.mark.parametrize(("today", "birth_year", "birth_month", "age"), CONSENT_AGES)
def test_the_age_of_consent_counts_the_birthday_as_the_last_day_of_the_birth_month(today, birth_year, birth_month, age):
    assert consent_age_on(today, birth_year, birth_month) == age


def test_without_a_birth_date_there_is_no_age():
    assert User(birth_year=None, birth_month=None).age_on(date(2026, 6, 1)) is None


def freeze(monkeypatch, today: date) -> None:
    """The clock of the registration form and of the account page stands still on `today` at noon (UTC)."""
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC).replace(tzinfo=None)  # naive UTC, as utcnow
    monkeypatch.setattr("youth_portal.accounts.forms.utcnow", lambda: noon)
    monkeypatch.setattr("youth_portal.my_account.routes.utcnow", lambda: noon)


def month_after(day: date, months: int) -> tuple[int, int]:
    """(year, month) `months` after the month of `day` (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


@pytest.mark.parametrize("month", [1, 6, 12])
@pytest.mark.parametrize(("birthday_in", "accepted"), [(-1, False), (0, False), (1, True)])
def test_registration_counts_the_birth_month(app, client, monkeypatch, month, birthday_in, accepted):
    """Murcia takes people up to 30: someone whose 31st birthday is next month may register; this month, not."""
    today = date(2026, month, 15)
    freeze(monkeypatch, today)
    with app.app_context():
        city_id = make_city("murcia", max_age=30).id
    year, birth_month = month_after(today, birthday_in)
    response = submit(
        client,
        "/register",
        {
            "email": "sky@example.org",
            "password": "a long and private passphrase",
            "display_name": "Sky",
            "home_city": str(city_id),
            "birth_year": str(year - 31),
            "birth_month": str(birth_month),
            "language": "en",
            "guardian_email": "",
            "guardian_language": "en",
            "accept_terms": "y",
        },
    )
    assert response.status_code == (302 if accepted else 422)
    if not accepted:
        assert "Youth Portal in Murcia is for people aged" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("today", "age"),
    [(date(2026, 2, 28), 20), (date(2026, 3, 1), 21), (date(2026, 12, 31), 21), (date(2027, 1, 1), 21)],
)
def test_my_account_shows_the_age_on_the_day(app, client, monkeypatch, today, age):
    """Sky, born in March 2005, is 20 until the end of February 2026 and 21 from March."""
    freeze(monkeypatch, today)
    with app.app_context():
        make_user("sky@example.org", city=make_city("murcia"), birth_year=2005, birth_month=3)
    login(client, "sky@example.org")
    response = client.get("/account")
    assert response.status_code == 200
    assert f"{age} years old" in response.get_data(as_text=True)
