"""The attacks of issue 11 on published numbers and on "anonymous to staff", run through HTTP as the attacker would,
with only what the attacker's role sees: each must fail to single anyone out."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from consultation_support import city, form_of, people, signed_in, table_rows, urls
from support import login, make_user, submit
from youth_portal.accounts.models import CityRoleName, User
from youth_portal.consultations.models import Consultation, Release, ReleaseAudience, ResponseMode
from youth_portal.consultations.participation import personal_data
from youth_portal.consultations.results import ledger, publication
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("english")

MANAGE = "/cities/murcia/manage/consultations"


def page_of(consultation_id: int) -> str:
    return f"/cities/murcia/consultations/{consultation_id}"


def accounts(app, count: int, prefix: str, **fields) -> list:
    """`count` signed-in young people of Murcia (each a client of their own), as an attacker registers puppets."""
    clients = []
    with app.app_context():
        for i in range(count):
            make_user(f"{prefix}-{i}@example.org", city=city(), display_name=f"{prefix}{i}", **fields)
    for i in range(count):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        assert login(client, f"{prefix}-{i}@example.org").status_code == 200
        clients.append(client)
    return clients


def question_ids(app, consultation_id: int) -> dict[int, int]:
    with app.app_context():
        return {q.position: q.id for q in db.session.get(Consultation, consultation_id).questions}


def answer(app, client, consultation_id: int, safe: str, **demographics) -> None:
    """Submit (or re-submit) the required answers through the form: "park", and `safe` (yes/no) at night."""
    q = question_ids(app, consultation_id)
    data = {f"q{q[1]}": "park", f"q{q[3]}": safe, "action": "submit", **demographics}
    sent = submit(client, f"{page_of(consultation_id)}/respond", data, page=page_of(consultation_id))
    assert sent.status_code == 302, sent.get_data(as_text=True)


def seen(client, url: str) -> tuple[int, str]:
    page = client.get(url)
    return page.status_code, page.get_data(as_text=True)


# 1. Sock puppets and live public numbers ---------------------------------------------------------------------------


def test_puppets_resubmitting_around_a_victim_read_nothing_in_the_public_numbers_before_closing(
    app, client, cities, clock
):
    """Nine puppets re-submit after every move; the victim's submission completes the ten. Staff ask for live
    public numbers, as the demo's had (the option is gone): the public sees no number until closing."""
    with app.app_context():
        consultation_id = make_consultation(city(), "scheduled").id
    staff = signed_in(app.test_client())
    edit = f"{MANAGE}/{consultation_id}/edit"
    assert submit(staff, edit, form_of(consultation_id, staff) | {"results_live": "y"}).status_code == 302
    clock.shift(timedelta(days=2))  # now open
    for person in accounts(app, 12, "early"):
        answer(app, person, consultation_id, "yes")
    puppets = accounts(app, 9, "puppet")
    for puppet in puppets:
        answer(app, puppet, consultation_id, "yes")
    before = seen(client, urls(consultation_id)["public"])
    [victim] = accounts(app, 1, "victim")
    answer(app, victim, consultation_id, "no")
    for puppet in puppets:  # re-submitting what they said: ten "changes" with the victim's
        answer(app, puppet, consultation_id, "yes")
    after = seen(client, urls(consultation_id)["public"])

    assert before == after and after[0] == 404
    consultation_page = client.get(page_of(consultation_id)).get_data(as_text=True)
    assert f"{page_of(consultation_id)}/results" not in consultation_page
    assert "people answered" not in consultation_page
    hint = "The public sees the results once the consultation closes, never before"
    assert hint in signed_in(staff).get(edit).get_data(as_text=True)


# 2. "Anonymous to staff": staff differencing ------------------------------------------------------------------------


def staff_view(app, staff, consultation_id: int) -> dict[str, tuple[int, str]]:
    """Everything staff can download or read about the answers, CSRF tokens (new on every page) left out."""
    links = urls(consultation_id)
    texts = f"{MANAGE}/{consultation_id}/results/questions/{question_ids(app, consultation_id)[6]}/texts"
    views = {}
    for name, url in (
        ("page", links["staff"]),
        ("age", links["staff"] + "?by=age"),
        ("json", links["json"]),
        ("csv", links["csv"]),
        ("texts", texts),
    ):
        status, body = seen(staff, url)
        views[name] = status, re.sub(r'name="csrf_token" value="[^"]*"', "", body)
    return views


def test_staff_comparing_everything_before_and_after_one_submission_single_nobody_out(app, client, cities):
    """Staff of an anonymous consultation download the CSV and read the results, the JSON and the written answers
    before and after one person's submission: one row more, with every answer and its text, named that person's
    answers. Now a step adds at least k people and leaves the k newest out, so that no step, nor closing after
    the last one, moves by fewer than k people; and the CSV waits for closing."""
    with app.app_context():
        consultation_id = make_consultation(city(), "open").id
    for person in accounts(app, 25, "early"):
        answer(app, person, consultation_id, "yes")
    staff = signed_in(app.test_client())
    before = staff_view(app, staff, consultation_id)
    assert "15 submitted responses" in before["page"][1], "the ten newest wait for the next step"
    [victim] = accounts(app, 1, "victim")
    q = question_ids(app, consultation_id)
    answer(app, victim, consultation_id, "no", **{f"q{q[6]}": "Frightened"})
    after = staff_view(app, staff, consultation_id)

    assert after == before
    assert before["csv"][0] == 409 and "available once the consultation closes" in before["csv"][1]

    for person in accounts(app, 9, "newcomer"):  # the ten held back move now; the victim is among the ten newest
        answer(app, person, consultation_id, "yes")
    moved = staff_view(app, staff, consultation_id)
    assert "25 submitted responses" in moved["page"][1] and "Frightened" not in moved["texts"][1]
    counted = table_rows(moved["page"][1], "Answers to “Do you feel safe at night?”")[1:]
    assert [row[:2] for row in counted] == [["Yes", "25"], ["No", "0"]], "the victim's no waits with them"
    for person in accounts(app, 10, "later"):
        answer(app, person, consultation_id, "yes")
    moved = staff_view(app, staff, consultation_id)
    assert "35 submitted responses" in moved["page"][1] and "Frightened" in moved["texts"][1]
    answer(app, accounts(app, 1, "last")[0], consultation_id, "no")  # answers just before closing

    with app.app_context():  # closed: every response, ten more than the last step at least
        db.session.get(Consultation, consultation_id).closes_at = utcnow()
        db.session.commit()
    assert "46 submitted responses" in seen(staff, urls(consultation_id)["staff"])[1]
    status, csv = seen(staff, urls(consultation_id)["csv"])
    assert status == 200 and len(csv.strip().splitlines()) == 1 + 46
    assert not re.search(r"\d\d:\d\d", csv) and "Frightened" in csv
    assert seen(staff, urls(consultation_id)["csv"])[0] == 200  # the same again
    withdraw(app, "victim-0@example.org")  # a second CSV would lack exactly the victim's row
    status, refusal = seen(staff, urls(consultation_id)["csv"])
    assert status == 409 and "a second CSV, beside the first, would show whose answers they were" in refusal


def test_before_the_first_step_staff_read_no_written_answer(app, client, cities):
    with app.app_context():
        consultation_id = make_consultation(city(), "open").id
    [first] = accounts(app, 1, "first")
    answer(app, first, consultation_id, "no", **{f"q{question_ids(app, consultation_id)[6]}": "Frightened"})
    views = staff_view(app, signed_in(app.test_client()), consultation_id)
    assert "Frightened" not in views["page"][1] and "Frightened" not in views["texts"][1]


# 1. Settings that change groupings ---------------------------------------------------------------------------------

ADMIN = "admin@example.org"
SETTINGS = "/cities/murcia/manage/consultations/settings"


def closed_by_district(app) -> int:
    """A closed consultation asking for the district, whose groups are near k: Centro 12, Norte 7, not stated 11."""
    with app.app_context():
        made = make_consultation(city(), "closed", ask_district=True)
        answers = [("Centro", "yes")] * 10 + [("Centro", "no")] * 2 + [("Norte", "yes")] * 5 + [("Norte", "no")] * 2
        answers += [(None, "yes")] * 8 + [(None, "no")] * 3
        for i, (district, safe) in enumerate(answers):
            person = make_user(f"grouped-{i}@example.org", display_name=f"Grouped{i}")
            add_response(made, person, {1: {"choices": ["park"]}, 3: {"choices": [safe]}}, district=district)
        make_user(ADMIN, city=city(), display_name="Admin", city_role=CityRoleName.CITY_ADMIN)
        return made.id


def published(client, staff, consultation_id: int) -> list[tuple[int, str]]:
    """What the public and staff read of the results, overall and by district."""
    links = urls(consultation_id)
    return [
        seen(client, links["public"]),
        seen(client, links["public"] + "?by=district"),
        seen(staff, links["json"]),
    ]


@pytest.mark.parametrize(
    "edits",
    [
        [{"districts": "Centro\nNorte", "suppression_k": "11"}, {"districts": "Centro\nNorte", "suppression_k": "10"}],
        [{"districts": "Centro", "suppression_k": "10"}, {"districts": "Norte\nCentro\nSur", "suppression_k": "10"}],
    ],
    ids=["k 10, 11, 10", "district list edited"],
)
def test_a_city_admin_editing_k_or_the_districts_republishes_nothing(app, client, cities, edits):
    """Setting k to 11 and back showed a cell hidden at 10 as "fewer than 11" (so exactly 10); removing a district
    moved its hidden group into "not stated". The results of a consultation with answers keep their settings."""
    consultation_id = closed_by_district(app)
    admin = app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(admin, ADMIN).status_code == 200
    first = published(client, admin, consultation_id)
    assert all(status == 200 for status, _body in first) and "Norte" in first[1][1]
    for edit in edits:
        assert submit(admin, SETTINGS, edit).status_code == 302
        assert published(client, admin, consultation_id) == first


def test_only_a_consultation_with_answers_keeps_its_settings_the_others_follow_the_city(app, client, cities):
    """Fixing one consultation's settings fixes no other, and none before it has answers."""
    consultation_id = closed_by_district(app)
    with app.app_context():
        later_id = make_consultation(city(), "open", ask_district=True).id
    admin = app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(admin, ADMIN).status_code == 200
    assert published(client, admin, consultation_id)[0][0] == 200
    assert seen(admin, urls(later_id)["json"])[0] == 200  # read before it has answers
    assert submit(admin, SETTINGS, {"districts": "Centro\nNorte", "suppression_k": "11"}).status_code == 302
    with app.app_context():
        later = db.session.get(Consultation, later_id)
        for i, person in enumerate(people(22, prefix="later")):
            add_response(later, person, {1: {"choices": ["park"]}, 3: {"choices": ["yes", "no"][i % 2]}})
        later.closes_at = utcnow()
        db.session.commit()
    assert "numbers below 11 are hidden" in seen(client, urls(later_id)["public"])[1]
    assert "numbers below 10 are hidden" in seen(client, urls(consultation_id)["public"])[1]


# 1. Padding, zeros and unanimity -------------------------------------------------------------------------------------

SAFE_BY_DISTRICT = "“Do you feel safe at night?” by district"


def column(html: str, caption: str, group: str) -> list[str]:
    """One group's column of a breakdown table: its header (with "n = ...") and its cells."""
    rows = table_rows(html, caption)
    [index] = [i for i, header in enumerate(rows[0]) if header.startswith(group)]
    return [row[index] for row in rows]


def padded_world(app, client, world: str, victim_says: str) -> str:
    """Twenty-five people of Centro and ten who do not say; the victim alone in Norte, joined there by ten puppets
    who all answer "no"."""
    with app.app_context():
        consultation_id = make_consultation(city(), "open", ask_district=True).id
    for i, person in enumerate(accounts(app, 25, f"{world}-centro")):
        answer(app, person, consultation_id, "yes" if i % 2 else "no", district="Centro")
    for i, person in enumerate(accounts(app, 10, f"{world}-silent")):
        answer(app, person, consultation_id, "yes" if i % 3 else "no")
    [victim] = accounts(app, 1, f"{world}-victim")
    answer(app, victim, consultation_id, victim_says, district="Norte")
    for puppet in accounts(app, 10, f"{world}-puppet"):
        answer(app, puppet, consultation_id, "no", district="Norte")
    with app.app_context():
        db.session.get(Consultation, consultation_id).closes_at = utcnow()
        db.session.commit()
    return client.get(urls(consultation_id)["public"] + "?by=district").get_data(as_text=True)


def test_puppets_padding_a_victims_district_cannot_tell_yes_from_no(app, client, cities):
    """The district showed "hidden" if the victim said yes and "0" if no: in a group of fewer than 2k people, zeros
    and near-unanimous counts are hidden like small ones."""
    said_yes = padded_world(app, client, "yes", "yes")
    said_no = padded_world(app, client, "no", "no")
    norte_yes, norte_no = column(said_yes, SAFE_BY_DISTRICT, "Norte"), column(said_no, SAFE_BY_DISTRICT, "Norte")
    assert norte_yes == norte_no
    assert norte_yes[0] == "Norte n = 11" and not any(re.match(r"\d", cell) for cell in norte_yes[1:])
    assert column(said_yes, SAFE_BY_DISTRICT, "Centro")[1:] == ["12 (48%)", "13 (52%)"]  # 25 people: shown


def test_a_small_group_where_everyone_gave_one_answer_does_not_show_it(app, client, cities):
    """ "Yes 16 (100 %)" for the 16-17 year olds told each of them what the others said."""
    with app.app_context():
        made = make_consultation(city(), "closed")
        for person in people(16, age=16, prefix="sixteen"):
            add_response(made, person, {1: {"choices": ["park"]}, 3: {"choices": ["yes"]}})
        for i, person in enumerate(people(24, age=20, prefix="twenty")):
            add_response(made, person, {1: {"choices": ["library"]}, 3: {"choices": ["yes" if i % 2 else "no"]}})
        consultation_id = made.id
    html = client.get(urls(consultation_id)["public"] + "?by=age").get_data(as_text=True)
    teens = column(html, "“Do you feel safe at night?” by age band", "16-17")
    assert teens == ["16-17 n = 16", "hidden", "fewer than 10"]  # yes 16, no 0; and the other age band with them
    assert column(html, "“Do you feel safe at night?” by age band", "18-24") == ["18-24 n = 24", "hidden", "hidden"]


# 1. The release ledger ----------------------------------------------------------------------------------------------


SAFE_BY_AGE = "“Do you feel safe at night?” by age band"


def has_table(html: str, caption: str) -> bool:
    try:
        table_rows(html, caption)
    except AssertionError:
        return False
    return True


def closed_by_age(app) -> int:
    """A closed consultation: thirty 14-year-olds and thirty 20-year-olds, half of each saying yes."""
    with app.app_context():
        made = make_consultation(city(), "closed")
        for age in (14, 20):
            for i, person in enumerate(people(30, age=age, prefix=f"aged{age}")):
                add_response(made, person, {1: {"choices": ["park"]}, 3: {"choices": ["yes" if i % 2 else "no"]}})
        return made.id


def withdraw(app, email: str) -> None:
    """Someone's answers leave the counts (a withdrawn consent, a deleted account)."""
    with app.app_context():
        personal_data.withdraw(db.session.scalar(sa.select(User).where(User.email == email)))
        db.session.commit()


def test_published_numbers_stand_when_answers_leave_and_a_new_breakdown_that_would_tell_them_is_refused(
    app, client, cities
):
    """Numbers before and after one person's answers leave would show those answers. The first public release
    stands; a breakdown first asked for afterwards is shown only if, beside it, nothing can be worked out."""
    consultation_id = closed_by_age(app)
    links = urls(consultation_id)
    first = seen(client, links["public"])
    assert "60 people answered." in first[1]
    withdraw(app, "aged14-1@example.org")  # a 14-year-old who said yes

    assert seen(client, links["public"]) == first
    by_age = client.get(links["public"] + "?by=age").get_data(as_text=True)
    assert "This breakdown is not shown: beside the numbers published before" in by_age
    assert not has_table(by_age, SAFE_BY_AGE) and "60 people answered." in by_age
    staff = signed_in(app.test_client()).get(links["staff"]).get_data(as_text=True)
    assert "59 submitted responses" in staff  # staff see the answers as they are now


def test_breakdowns_of_unchanged_answers_are_released_one_after_the_other_and_stand(app, client, cities):
    consultation_id = closed_by_age(app)
    links = urls(consultation_id)
    overall = seen(client, links["public"])
    by_age = seen(client, links["public"] + "?by=age")
    assert has_table(by_age[1], SAFE_BY_AGE) and "not shown: beside" not in by_age[1]
    withdraw(app, "aged20-3@example.org")
    assert seen(client, links["public"]) == overall and seen(client, links["public"] + "?by=age") == by_age
    with app.app_context():
        shown = db.session.scalars(
            sa.select(Release.dimension).where(
                Release.consultation_id == consultation_id, Release.audience == ReleaseAudience.PUBLIC
            )
        ).all()
        assert sorted(shown) == ["", "age"]


def test_staff_numbers_after_closing_stand_when_answers_leave(app, client, cities):
    """Staff compared the results of a closed anonymous consultation before and after one person's consent was
    withdrawn: the difference was that person's answers. The numbers of the first view after closing stand, in every
    breakdown and in the JSON; a CSV made after the person left would show the same difference, so none is made."""
    consultation_id = closed_by_age(app)
    staff = signed_in(app.test_client())
    before = staff_view(app, staff, consultation_id)
    assert "60 submitted responses" in before["page"][1] and before["csv"][0] == 200
    withdraw(app, "aged14-1@example.org")
    after = staff_view(app, staff, consultation_id)
    assert {name: after[name] for name in ("page", "age", "json")} == {
        name: before[name] for name in ("page", "age", "json")
    }
    assert after["csv"][0] == 409


def test_a_csv_first_asked_for_after_someone_left_is_not_made_beside_the_staff_numbers(app, client, cities):
    consultation_id = closed_by_age(app)
    staff = signed_in(app.test_client())
    assert "60 submitted responses" in seen(staff, urls(consultation_id)["staff"])[1]
    withdraw(app, "aged20-3@example.org")
    status, refusal = seen(staff, urls(consultation_id)["csv"])
    assert status == 409 and "a second CSV, beside the first, would show whose answers they were" in refusal


def test_identified_staff_numbers_follow_the_answers_after_closing(app, client, cities):
    """In identified mode staff see who answered by design: their numbers are the answers as they are."""
    with app.app_context():
        made = make_consultation(city(), "closed", mode=ResponseMode.IDENTIFIED)
        for i, person in enumerate(people(12, prefix="named")):
            add_response(made, person, {1: {"choices": ["park"]}, 3: {"choices": ["yes" if i % 2 else "no"]}})
        consultation_id = made.id
    staff = signed_in(app.test_client())
    assert "12 submitted responses" in seen(staff, urls(consultation_id)["staff"])[1]
    withdraw(app, "named-1@example.org")
    assert "11 submitted responses" in seen(staff, urls(consultation_id)["staff"])[1]


def test_a_breakdown_released_at_the_same_moment_as_another_is_decided_with_it(app, client, cities, monkeypatch):
    """Two breakdowns first asked for at the same moment were each checked against the releases before them, not
    against each other. The releases of a consultation are numbered in one sequence: the request that read the ledger
    before the other's release was recorded fails to record its own, reads again and decides with it."""
    consultation_id = closed_by_district(app)
    links = urls(consultation_id)
    assert seen(client, links["public"] + "?by=age")[0] == 200  # the overall numbers, then the age breakdown
    real_releases = ledger.releases
    stale = [True]

    def read_before_the_age_breakdown_was_recorded(*args):
        found = real_releases(*args)
        if stale.pop() if stale else False:
            return [release for release in found if release.dimension != "age"]
        return found

    decided_with: list[list[str]] = []
    real_disclosed = publication.disclosed

    def disclosed(releases, k):
        decided_with.append(sorted({name.split(":")[0] for release in releases for name in release.cells}))
        return real_disclosed(releases, k)

    monkeypatch.setattr(ledger, "releases", read_before_the_age_breakdown_was_recorded)
    monkeypatch.setattr(publication, "disclosed", disclosed)
    assert seen(client, links["public"] + "?by=district")[0] == 200
    assert len(decided_with) == 2 and "age" not in decided_with[0] and "age" in decided_with[1]
    with app.app_context():
        lines = db.session.execute(
            sa.select(Release.number, Release.dimension)
            .where(Release.consultation_id == consultation_id, Release.audience == ReleaseAudience.PUBLIC)
            .order_by(Release.number)
        ).all()
    assert [tuple(line) for line in lines] == [(1, ""), (2, "age"), (3, "district")]
