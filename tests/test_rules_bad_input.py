"""Bad input never makes a server error: every field of every form, found by reading the pages each kind of person
reaches (not listed by hand), is sent hostile values one at a time, the rest of the form as the page filled it.

A person of each kind (a visitor, a young person, a person at the code step of the sign-in, city staff, a city admin,
a network admin) opens the pages linked from where they start, and every form with method="post" on them is tried:
its action and every htmx address inside it (an automatic save, an inline check), with each field, hidden fields,
buttons and disabled fields included (an attacker sends what the browser would not), given each value below. Any
answer is fine but a 5xx. The last test checks that the reading reached a form for every POST address of the app,
so that a new page's form is tried without anyone listing it here.
"""

import json
import re
from collections import deque
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pyotp
import pytest
from werkzeug.exceptions import HTTPException

from consultation_factory import add_response, make_consultation
from support import STAFF, login, make_city, make_user
from youth_portal import tokens
from youth_portal.accounts.models import CityRoleName, NetworkRole, User
from youth_portal.consultations.models import Commitment, CommitmentStatus
from youth_portal.extensions import db
from youth_portal.guardians.models import ConsentStatus, GuardianConsent
from youth_portal.timeutil import utcnow
from youth_portal.tokens import TokenPurpose

#: What an attacker or a slip of the keyboard sends: digits int() cannot read, dates that do not exist or overflow a
#: time zone, a header break, a NUL, 10 KB, an address outside ASCII, numbers below zero and too big for any column.
HOSTILE = (
    "²",
    "2026-13-45T24:61",
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "line\r\nBcc: intruder@example.org",
    "nul\x00byte",
    "é" * 10_240,
    "zoé@exämple.org",
    "-1",
    "99999999999999999999",
    "",
)
#: Appended to what the page filled in: a position "jobs:1²" passes str.isdigit() on its number, not int().
SUFFIX = "²"

YOUNG, ADMIN, NETWORK_ADMIN, PENDING = (
    "young@example.org",
    "admin@example.org",
    "network@example.org",
    "pending@example.org",
)
#: Where each kind of person starts reading; the links from there (within the app) are followed.
STARTS = {
    "visitor": ["/", "/register", "/login", "/password/forgot", "{reset}", "{guardian_consent}", "{guardian_withdraw}"],
    "young person": ["/account", "/consultations", "/cities/murcia/consultations", "{invitation}", "{email_change}"],
    "code step": ["/login/code"],
    "staff": ["/cities/murcia/manage/consultations"],
    "city admin": ["/cities/murcia/manage/roles", "/cities/murcia/manage/consultations/settings"],
    "network admin": ["/admin/cities", "/admin/cities/new"],
}
#: POST addresses no form reaches here, and why.
NOT_REACHED = {
    "accounts.confirm_email": "the confirmation link's page has one button and no field",
    "accounts.resend_verification": "only a person who has not confirmed their address sees its button (no field)",
    "my_account.new_backup_codes": "only with two-step verification on; its fields are tried at /account/two-step",
    "my_account.two_step_off": "as my_account.new_backup_codes",
    "guardians.resend": "only a young person waiting for consent sees its button (no field)",
}
#: Pages read per address pattern (a page of each stage and kind of question, not every consultation).
PAGES_PER_ENDPOINT = 8
MAX_PAGES = 400


class Forms(HTMLParser):
    """The POST forms of a page: action, htmx addresses inside, and fields (name, value as filled, or None when the
    browser would not send it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: tuple[str, list[str], list[str], bool] | None = None  # name, options, selected, disabled
        self._textarea: tuple[str, list[str], bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            method = "post" if (a.get("method") or "").lower() == "post" else "get"
            self._form = {"action": a.get("action") or "", "htmx": [], "fields": [], "method": method}
            self.forms.append(self._form)
        if self._form is None:
            return
        if a.get("hx-post"):
            self._form["htmx"].append((a["hx-post"], json.loads(a.get("hx-vals") or "{}")))
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            sent = "disabled" not in a
            if kind in ("checkbox", "radio"):
                value = a.get("value", "on")
                self._form["fields"].append((name, value if sent and "checked" in a else None, kind, value, not sent))
            elif kind == "submit":
                self._form["fields"].append((name, None, "submit", a.get("value", ""), False))
            elif kind != "file":
                self._form["fields"].append((name, a.get("value", "") if sent else None, kind, None, not sent))
        elif tag == "button" and name:
            self._form["fields"].append((name, None, "submit", a.get("value", ""), False))
        elif tag == "select" and name:
            self._select = (name, [], [], "disabled" in a)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea = (name, [], "disabled" in a)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected, disabled = self._select
            chosen = (selected or [o for o in options if o] or [""])[0]
            self._form["fields"].append((name, None if disabled else chosen, "select", None, disabled))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text, disabled = self._textarea
            self._form["fields"].append(
                (name, None if disabled else "".join(text).lstrip("\n"), "textarea", None, disabled)
            )
            self._textarea = None


def baseline(fields) -> dict[str, list[str]]:
    """What the browser sends: every field as filled, the first radio of a group none of which is checked, and the
    first named button."""
    data: dict[str, list[str]] = {}
    radios = {}
    button = None
    for name, value, kind, offered, _disabled in fields:
        if kind == "submit":
            button = button or (name, offered)
        elif kind == "radio":
            radios.setdefault(name, offered)
            if value is not None:
                data[name] = [value]
        elif value is not None:
            data.setdefault(name, []).append(value)
    for name, first in radios.items():
        data.setdefault(name, [first])
    if button:
        data.setdefault(button[0], [button[1]])
    return data


def endpoint_of(app, url: str, method: str = "GET") -> str | None:
    try:
        endpoint, _arguments = app.url_map.bind("localhost").match(urlsplit(url).path, method=method)
    except HTTPException:
        return None
    return endpoint


def shape(app, form) -> tuple:
    """What makes two forms worth trying apart: where they go, and which fields they have (and which of them are
    disabled: a consultation's form at each stage). The same form of another consultation, or question of the same
    kind, is tried once."""
    fields = sorted((name, kind, disabled) for name, _value, kind, _offered, disabled in form["fields"])
    return (endpoint_of(app, form["action"], "POST"), tuple(fields))


def read_forms(app, client, starts: list[str]) -> dict[tuple, dict]:
    """Every POST form on the pages reachable from `starts` (a few pages per address pattern), one per shape."""
    queue, seen, per_endpoint, forms = deque(starts), set(), {}, {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or not url.startswith("/") or url.startswith("/static/"):
            continue
        endpoint = endpoint_of(app, url)
        if endpoint is None or per_endpoint.get(endpoint, 0) >= PAGES_PER_ENDPOINT:
            continue
        seen.add(url)
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        response = client.get(url)
        if not response.content_type.startswith("text/html") or response.status_code != 200:
            continue
        parser = Forms()
        parser.feed(response.get_data(as_text=True))
        for form in [form for form in parser.forms if form["method"] == "get"]:  # a search, a filter: followed
            query = urlencode([(name, value) for name, values in baseline(form["fields"]).items() for value in values])
            queue.append(urljoin(url, form["action"] or url).split("?")[0] + "?" + query)
        for form in [form for form in parser.forms if form["method"] == "post"]:
            form["action"] = urljoin(url, form["action"]) if form["action"] else url
            form["page"] = url
            htmx = {(urljoin(url, address), json.dumps(values)): values for address, values in form["htmx"]}
            form["htmx"] = [(address, values) for (address, _key), values in htmx.items()]  # each field's, once
            forms.setdefault(shape(app, form), form)
        queue.extend(urljoin(url, link).split("#")[0] for link in parser.links)
    return forms


def tries(form) -> list[tuple[str, dict, dict, str]]:
    """(address, data, field, value) to send: each field of the form given each hostile value, at the form's action
    and at each htmx address inside it."""
    sent = baseline(form["fields"])
    addresses = [(form["action"], {}, {})]
    addresses += [(address, values, {"HX-Request": "true"}) for address, values in form["htmx"]]
    result = []
    for name in dict.fromkeys(name for name, *_ in form["fields"]):
        if name == "csrf_token":
            continue
        filled = sent.get(name, [])
        variants = [[value] * max(1, len(filled)) for value in HOSTILE]
        variants += [[value + SUFFIX for value in filled]] if any(filled) else []
        for values in variants:
            for address, extra, headers in addresses:
                result.append((address, sent | extra | {name: values}, headers, name))
    return result


def token_link(person: User, purpose: TokenPurpose, payload: str | None = None) -> str:
    return tokens.issue(person, purpose, timedelta(hours=1), payload=payload)


@pytest.fixture
def world(app) -> dict:
    """Murcia (in Beirut's time zone, whose year 1 overflowed), its people of every role, consultations at every
    stage with every kind of question, answers to review, a commitment; the links people get by email."""
    with app.app_context():
        murcia = make_city("murcia", timezone="Asia/Beirut", districts=["Centro", "Norte"])
        make_city("lyon", country="FR", timezone="Europe/Paris", default_language="fr", languages=["fr"])
        young = make_user(YOUNG, city=murcia, display_name="Young")
        staff = make_user(STAFF, city=murcia, display_name="Staffer", city_role=CityRoleName.STAFF)
        admin = make_user(ADMIN, city=murcia, display_name="Boss", city_role=CityRoleName.CITY_ADMIN)
        make_user(NETWORK_ADMIN, display_name="Network", network_role=NetworkRole.NETWORK_ADMIN)
        make_user(PENDING, city=murcia, display_name="Pending").two_step_key = pyotp.random_base32()
        asked, granted = (
            GuardianConsent(
                user=make_user(f"minor-{status.value}@example.org", city=murcia, birth_year=utcnow().year - 13),
                guardian_email="parent@example.org",
                language="en",
                status=status,
            )
            for status in (ConsentStatus.PENDING, ConsentStatus.GRANTED)
        )
        db.session.add_all([asked, granted])
        for stage in ("draft", "scheduled", "open", "closed", "outcome-published"):
            consultation = make_consultation(murcia, stage, ask_gender=True, ask_district=True)
            if stage in ("closed", "outcome-published"):
                for number in range(3):
                    person = make_user(f"r-{stage}-{number}@example.org", city=murcia, display_name=f"R{number}")
                    answers = {1: {"choices": ["other"], "text": "Skate"}, 6: {"text": f"Hi {number}"}}
                    response = add_response(consultation, person, answers)
                quote = next(answer for answer in response.answers if answer.text == "Hi 2")  # approved, to withdraw
                quote.quote_approved_at, quote.quote_approved_by_id = utcnow(), staff.id
                consultation.commitments.append(
                    Commitment(position=1, text={"es": "Abrir", "en": "Open"}, status=CommitmentStatus.PLANNED)
                )
        db.session.commit()
        links = {
            "reset": "/password/reset/" + token_link(make_user("forgot@example.org"), TokenPurpose.RESET_PASSWORD),
            "guardian_consent": "/guardian/consent/"
            + token_link(asked.user, TokenPurpose.GUARDIAN_CONSENT, str(asked.id)),
            "guardian_withdraw": "/guardian/withdraw/"
            + token_link(granted.user, TokenPurpose.GUARDIAN_WITHDRAW, str(granted.id)),
            "invitation": "/account/role-invitation/"
            + token_link(young, TokenPurpose.ROLE_INVITATION, f"{murcia.id}:staff:{admin.id}"),
            "email_change": "/account/email/confirm/"
            + token_link(young, TokenPurpose.CHANGE_EMAIL, "young.new@example.org"),
        }
        db.session.commit()
    return links


def person(app, kind: str):
    """A browser of this kind of person, reading English, signed in as needed."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    email = {
        "young person": YOUNG,
        "code step": PENDING,
        "staff": STAFF,
        "city admin": ADMIN,
        "network admin": NETWORK_ADMIN,
    }.get(kind)
    if email:
        assert login(client, email).status_code == 200
    return client


def forms_for(app, kind: str, links: dict) -> tuple[object, dict[tuple, dict]]:
    client = person(app, kind)
    return client, read_forms(app, client, [start.format(**links) for start in STARTS[kind]])


def test_no_form_field_makes_a_server_error(app, world):
    """Each kind of person in turn; a form an earlier one tried already (the account pages, the language switch) is
    not tried again."""
    tried, errors = set(), []
    for kind in STARTS:
        client, forms = forms_for(app, kind, world)
        assert forms, f"no form found for {kind}"
        for key, form in forms.items():
            if key in tried:
                continue
            tried.add(key)
            token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', client.get(form["page"]).text)
            for address, data, headers, field in tries(form):
                sent = data | ({"csrf_token": [token.group(1)]} if token else {})
                try:  # the tests' app lets errors through (TESTING): each one is listed, not only the first
                    status = client.post(address, data=sent, headers=headers).status_code
                except Exception as error:
                    status = f"{type(error).__name__}: {str(error)[:80]}"
                if not isinstance(status, int) or status >= 500:
                    errors.append(f"{kind}: {status} at {address} with {field}={data[field][:1]!r:.60}")
    assert errors == [], "\n".join(errors)


def test_every_post_address_has_a_form_that_is_tried(app, world):
    """A new form is tried without being listed: what the pages lead to covers every POST address of the app."""
    reached = set()
    for kind in STARTS:
        _client, forms = forms_for(app, kind, world)
        for form in forms.values():
            addresses = [form["action"]] + [address for address, _values in form["htmx"]]
            reached |= {endpoint_of(app, address, "POST") for address in addresses}
    post_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(post_endpoints - reached - set(NOT_REACHED))
    assert missing == [], missing
    assert sorted(set(NOT_REACHED) & reached) == []  # listed as not reached, but reached: take it off the list
