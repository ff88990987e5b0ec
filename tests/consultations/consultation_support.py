"""Helpers that several consultations test modules share (plain functions; their fixtures are in conftest.py):
Murcia's results data set, the addresses of its results and outcome pages, and readers of what those pages show."""

import re

import sqlalchemy as sa

from consultation_factory import add_response, make_consultation
from support import STAFF, login, make_user
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.consultations.models import ResponseMode
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

XSS = "<script>alert(1)</script>"
#: The member of Bilbao's staff (the `cities` fixture); STAFF is Murcia's.
OTHER_STAFF = "staff-b@example.org"


def city(slug: str = "murcia") -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def people(count: int, *, age: int = 20, prefix: str = "person", home: City | None = None) -> list:
    """`count` young people of `age`, with display names "<prefix>-<i>"."""
    year = utcnow().year - age
    return [
        make_user(f"{prefix}-{i}@example.org", city=home, display_name=f"{prefix.title()}{i}", birth_year=year)
        for i in range(count)
    ]


def urls(consultation_id: int, slug: str = "murcia") -> dict[str, str]:
    manage = f"/cities/{slug}/manage/consultations/{consultation_id}"
    return {
        "staff": f"{manage}/results",
        "public": f"/cities/{slug}/consultations/{consultation_id}/results",
        "csv": f"{manage}/export.csv",
        "json": f"{manage}/export.json",
    }


def outcome_url(consultation_id: int) -> str:
    return f"/cities/murcia/manage/consultations/{consultation_id}/outcome"


def public_url(consultation_id: int) -> str:
    return f"/cities/murcia/consultations/{consultation_id}"


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


ANSWERS = [
    {
        1: {"choices": ["park"]},
        2: {"choices": ["sport", "music"]},
        3: {"choices": ["yes"]},
        4: {"number": 5},
        5: {"choices": ["jobs", "housing"]},
        6: {"text": "Green"},
        7: {"text": "More benches"},
    },
    {
        1: {"choices": ["park"]},
        2: {"choices": ["music"]},
        3: {"choices": ["no"]},
        4: {"number": 3},
        5: {"choices": ["housing", "jobs"]},
        6: {"text": "Loud"},
    },
    {
        1: {"choices": ["other"], "text": "Skate park"},
        2: {"choices": ["study"]},
        3: {"choices": ["yes"]},
        4: {"number": 4},
        5: {"choices": ["jobs"]},
        7: {"text": XSS},
    },
    # A text left over from an "other" the person then unchose is not theirs to publish any more.
    {1: {"choices": ["library"], "text": "Stale other text"}, 3: {"choices": ["yes"]}},
]


def every_kind(app, stage: str = "open", *, mode: ResponseMode = ResponseMode.ANONYMOUS, **fields) -> int:
    """Murcia's consultation with one question of each kind, four submitted responses and one draft."""
    with app.app_context():
        made = make_consultation(city(), stage, mode=mode, **fields)
        for person, answers in zip(people(4, prefix="respondent"), ANSWERS, strict=True):
            add_response(made, person, answers)
        [drafter] = people(1, prefix="drafter")
        add_response(
            made,
            drafter,
            {1: {"choices": ["library"]}, 3: {"choices": ["no"]}, 6: {"text": "Secret draft"}},
            submitted=False,
        )
        return made.id


def visit(client, url: str):
    """A visitor whose browser asks for English (Murcia's default language is Spanish)."""
    return client.get(url, headers={"Accept-Language": "en"})


def signed_in(client, email: str = STAFF):
    assert login(client, email).status_code == 200
    return client


def table_rows(html: str, caption_start: str) -> list[list[str]]:
    """The rows (cells as text) of the table whose caption starts with `caption_start`."""
    for table in re.findall(r"<table.*?</table>", html, re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        if caption and _text(caption.group(1)).startswith(caption_start):
            return [
                [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
            ]
    raise AssertionError(f"no table captioned {caption_start!r}")


def _text(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html)
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.replace("&amp;", "&").split())


def form_of(consultation_id: int, client) -> dict:
    """What the edit page sends back unchanged: every enabled field with its current value."""
    html = client.get(f"/cities/murcia/manage/consultations/{consultation_id}/edit").get_data(as_text=True)
    data = {}
    for tag in re.findall(r"<(?:input|textarea|select)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or "disabled" in tag or name.group(1) == "csrf_token":
            continue
        type_ = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if type_ and type_.group(1) in ("radio", "checkbox"):
            if "checked" in tag:
                data[name.group(1)] = value.group(1) if value else "y"
        elif type_ and type_.group(1) == "file":
            continue
        elif tag.startswith("<textarea"):
            text = re.search(rf'<textarea[^>]*name="{name.group(1)}"[^>]*>\n?(.*?)</textarea>', html, re.S)
            data[name.group(1)] = text.group(1)
        elif tag.startswith("<select"):
            selected = re.search(rf'name="{name.group(1)}".*?<option selected value="([^"]*)"', html, re.S)
            data[name.group(1)] = selected.group(1) if selected else ""
        else:
            data[name.group(1)] = value.group(1) if value else ""
    return data
