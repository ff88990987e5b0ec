"""A consultation open to the whole network asks the stricter of two ages of consent: the person's home city's and
the hosting city's (issue 11: a 14-year-old of Beirut registered as Murcia answered Beirut's consultation)."""

import pytest
import sqlalchemy as sa

from consultation_factory import make_consultation
from support import last_message_to, link_in, login, make_city, make_user, submit
from youth_portal.cities.models import City
from youth_portal.consultations.models import Audience, Response
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

YOUNG = "young@example.org"
PARENT = "parent@example.net"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def consultations(app) -> dict[str, int]:
    """Beirut (Lebanon: a guardian consents below 16) consults the whole network; Murcia (Spain: 14) its residents."""
    with app.app_context():
        murcia = make_city("murcia", country="ES")
        beirut = make_city(
            "beirut", country="LB", timezone="Asia/Beirut", default_language="ar", languages=["ar", "en"]
        )
        return {
            "beirut": make_consultation(beirut, audience=Audience.NETWORK).id,
            "murcia": make_consultation(murcia).id,
        }


def resident_of_murcia(app, client, age: int):
    """A verified resident of Murcia of `age` (born in January: the same age under every rule), signed in."""
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        make_user(YOUNG, city=murcia, birth_year=utcnow().year - age, birth_month=1)
    login(client, YOUNG)


def respond(slug: str, consultation_id: int) -> str:
    return f"/cities/{slug}/consultations/{consultation_id}/respond"


def responses(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Response.id)))


def test_a_14_year_old_of_murcia_needs_a_guardian_for_beiruts_network_consultation(app, client, consultations):
    resident_of_murcia(app, client, 14)

    page = client.get(respond("beirut", consultations["beirut"]))
    sent = submit(
        client,
        respond("beirut", consultations["beirut"]),
        {"action": "submit"},
        page=f"/cities/beirut/consultations/{consultations['beirut']}",
    )

    assert page.status_code == sent.status_code == 403
    assert "a parent or guardian has to agree before you can answer" in page.get_data(as_text=True)
    assert 'href="/account/guardian"' in page.get_data(as_text=True), "where to ask one"
    assert responses(app) == 0
    assert client.get(respond("murcia", consultations["murcia"])).status_code == 200, "at home, 14 is enough"


def test_with_a_guardians_consent_they_may_answer_it(app, client, outbox, consultations):
    resident_of_murcia(app, client, 14)
    request_page = client.get("/account/guardian").get_data(as_text=True)
    assert "To answer those, ask your parent or guardian here." in request_page

    submit(
        client,
        "/account/guardian/resend",
        {"guardian_email": PARENT, "guardian_language": "en"},
        page="/account/guardian",
    )
    parent = app.test_client()
    assert (
        submit(parent, link_in(last_message_to(outbox, PARENT), "/guardian/consent/"), {"agree": "yes"}).status_code
        == 302
    )

    assert client.get(respond("beirut", consultations["beirut"])).status_code == 200


def test_someone_above_both_ages_needs_no_guardian(app, client, consultations):
    resident_of_murcia(app, client, 16)
    assert client.get(respond("beirut", consultations["beirut"])).status_code == 200
