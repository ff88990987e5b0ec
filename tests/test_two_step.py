"""Two-step verification: turning it on with an authenticator app, signing in with its code or a backup code,
codes that work once, and staff pages that need it where it is required."""

import html
import re
from datetime import datetime

import pyotp
import pytest
import sqlalchemy as sa

from support import PASSWORD, code, login, make_city, make_user, submit, typed_key
from youth_portal.accounts.models import CityRoleName, NetworkRole, User
from youth_portal.audit.models import AuditEvent
from youth_portal.extensions import db

EMAIL = "ana@example.org"
WRONG_CODE = "That code is not right, or was already used."


@pytest.fixture
def ana(app) -> int:
    with app.app_context():
        return make_user(EMAIL, city=make_city("murcia"), display_name="Ana").id


def backup_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)


def turn_on(client) -> tuple[str, list[str]]:
    """Turn two-step verification on as the person would: read the key, type the app's code and the password."""
    key = typed_key(client.get("/account/two-step").get_data(as_text=True))
    response = submit(client, "/account/two-step", {"code": code(key), "current_password": PASSWORD})
    assert response.status_code == 200
    return key, backup_codes(response.get_data(as_text=True))


def at_the_code_step(client) -> tuple[str, list[str]]:
    """Ana turns two-step verification on, signs out and gives her password again: the code is asked next."""
    login(client, EMAIL)
    key, codes = turn_on(client)
    submit(client, "/logout", page="/")
    sign_in(client)
    return key, codes


def sign_in(client, email=EMAIL):
    return submit(client, "/login", {"email": email, "password": PASSWORD})


def signed_in(client) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_turning_it_on_shows_a_qr_code_and_the_key_then_backup_codes_once(app, client, ana):
    login(client, EMAIL)
    overview = client.get("/account").get_data(as_text=True)
    assert "Two-step verification</a>: off" in overview
    page = client.get("/account/two-step").get_data(as_text=True)
    assert '<svg role="img"' in page and "<title>QR code to add Youth Portal to your app</title>" in page
    key = typed_key(page)
    assert typed_key(client.get("/account/two-step").get_data(as_text=True)) == key  # the same key on reload

    response = submit(client, "/account/two-step", {"code": code(key), "current_password": PASSWORD})

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Two-step verification is on" in page
    codes = backup_codes(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Two-step verification</a>: on" in client.get("/account").get_data(as_text=True)
    assert "Unused backup codes: 10." in client.get("/account/two-step").get_data(as_text=True)
    assert len(events(app, "account.two_step_on")) == 1
    with app.app_context():
        user = db.session.get(User, ana)
        assert user.two_step_key == key
        assert not any(c in str(user.backup_code_hashes) for c in codes)  # kept as hashes only


@pytest.mark.parametrize(
    ("typed", "password", "message"),
    [
        ("a code of another key", PASSWORD, "That is not the code your app shows now."),
        ("the app's code", "not my password", "That is not your current password."),
        ("", PASSWORD, "Please enter the code."),
    ],
)
def test_a_wrong_code_or_password_leaves_it_off_with_the_error_beside_the_field(
    app, client, ana, typed, password, message
):
    login(client, EMAIL)
    key = typed_key(client.get("/account/two-step").get_data(as_text=True))
    typed = {"a code of another key": code(pyotp.random_base32()), "the app's code": code(key)}.get(typed, typed)
    if typed and message.startswith("That is not the code") and typed == code(key):
        pytest.skip("the other key's code happens to be the same")

    response = submit(client, "/account/two-step", {"code": typed, "current_password": password})

    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r'<p class="error" id="(code|current_password)-error"><span>' + re.escape(message), page)
    assert re.search(f'<input [^>]*name="code" [^>]*value="{typed}"', page)  # what was typed is kept
    assert typed_key(page) == key  # the same key: the app that has it still works
    with app.app_context():
        assert db.session.get(User, ana).two_step_key is None


def test_signing_in_asks_for_the_code_after_the_password(app, client, ana):
    login(client, EMAIL)
    key, _codes = turn_on(client)
    submit(client, "/logout", page="/")
    assert not signed_in(client)

    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert not signed_in(client)  # the password alone signs nobody in
    page = client.get("/login/code").get_data(as_text=True)
    assert "type the 6-digit code it shows for Youth Portal" in page

    wrong = submit(client, "/login/code", {"code": "000000" if code(key, 1) != "000000" else "111111"})
    assert wrong.status_code == 422
    assert WRONG_CODE in html.unescape(wrong.get_data(as_text=True))
    assert not signed_in(client)

    right = submit(client, "/login/code", {"code": code(key, 1)})  # the next step: the one turning on used is spent
    assert right.status_code == 302 and right.headers["Location"] == "/cities/murcia/"
    assert signed_in(client)
    assert [e.detail.get("method") for e in events(app, "auth.login.succeeded")][-1] == "app-code"
    assert [e.detail.get("reason") for e in events(app, "auth.login.failed")] == ["wrong-code"]


def test_a_code_works_once(app, client, ana):
    login(client, EMAIL)
    key, _codes = turn_on(client)  # used the code of this step
    submit(client, "/logout", page="/")
    sign_in(client)

    response = submit(client, "/login/code", {"code": code(key)})

    assert response.status_code == 422
    assert WRONG_CODE in html.unescape(response.get_data(as_text=True))
    assert not signed_in(client)


def test_a_backup_code_signs_in_once(app, client, ana):
    _key, codes = at_the_code_step(client)

    response = submit(client, "/login/code", {"code": f" {codes[3].upper().replace('-', ' ')} "}, follow_redirects=True)

    assert "You used a backup code. 9 are left" in html.unescape(response.get_data(as_text=True))
    assert signed_in(client)
    assert [e.detail.get("method") for e in events(app, "auth.login.succeeded")][-1] == "backup-code"
    submit(client, "/logout", page="/")
    sign_in(client)
    assert submit(client, "/login/code", {"code": codes[3]}).status_code == 422
    assert not signed_in(client)


def test_new_backup_codes_replace_the_old_ones(app, client, ana):
    login(client, EMAIL)
    _key, old = turn_on(client)

    refused = submit(
        client, "/account/two-step/backup-codes", {"codes-current_password": "wrong"}, page="/account/two-step"
    )
    assert refused.status_code == 422
    assert "That is not your current password." in html.unescape(refused.get_data(as_text=True))
    response = submit(
        client, "/account/two-step/backup-codes", {"codes-current_password": PASSWORD}, page="/account/two-step"
    )

    new = backup_codes(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert len(events(app, "account.backup_codes_renewed")) == 1
    submit(client, "/logout", page="/")
    sign_in(client)
    assert submit(client, "/login/code", {"code": old[0]}).status_code == 422
    assert submit(client, "/login/code", {"code": new[0]}).status_code == 302


def test_turning_it_off_with_the_password(app, client, ana):
    login(client, EMAIL)
    turn_on(client)

    response = submit(
        client,
        "/account/two-step/off",
        {"off-current_password": PASSWORD},
        page="/account/two-step",
        follow_redirects=True,
    )

    assert "Two-step verification is off." in response.get_data(as_text=True)
    assert len(events(app, "account.two_step_off")) == 1
    submit(client, "/logout", page="/")
    assert sign_in(client).headers["Location"] == "/cities/murcia/"  # the password is enough again


def test_the_code_must_follow_the_password_within_five_minutes(app, client, ana):
    key, _codes = at_the_code_step(client)
    with client.session_transaction() as session:
        session["two_step"] = {**session["two_step"], "at": session["two_step"]["at"] - 5 * 60 - 1}

    response = client.get("/login/code", follow_redirects=True)

    assert response.request.path == "/login"
    assert "the code must follow the password within 5 minutes" in response.get_data(as_text=True)
    assert submit(client, "/login/code", {"code": code(key, 1)}, page="/login").status_code == 302
    assert not signed_in(client)


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, ana):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_a_suspension_between_password_and_code_stops_the_sign_in(app, client, ana):
    key, _codes = at_the_code_step(client)
    with app.app_context():
        user = db.session.get(User, ana)
        user.suspended_at = datetime(2026, 11, 26)
        db.session.commit()

    submit(client, "/login/code", {"code": code(key, 1)}, page="/login")

    assert not signed_in(client)


def test_wrong_codes_are_slowed_down(app, client, ana):
    key, _codes = at_the_code_step(client)
    wrong = "000000" if "000000" not in (code(key, -1), code(key), code(key, 1)) else "111111"
    for _attempt in range(5):
        assert submit(client, "/login/code", {"code": wrong}).status_code == 422

    throttled = submit(client, "/login/code", {"code": code(key, 1)}, page="/login")

    assert throttled.status_code == 429
    assert not signed_in(client)


# Staff and admins, where it is required ---------------------------------------------------------------------------


@pytest.fixture
def required(app):
    app.config["STAFF_TWO_STEP_REQUIRED"] = True


def test_staff_pages_ask_staff_to_turn_it_on_first(app, client, required):
    with app.app_context():
        murcia = make_city("murcia")
        make_user("staff@example.org", city=murcia, city_role=CityRoleName.STAFF)
    login(client, "staff@example.org")

    response = client.get("/cities/murcia/manage/consultations")

    assert response.status_code == 302 and response.headers["Location"] == "/account/two-step"
    page = client.get("/account/two-step").get_data(as_text=True)
    assert "Staff and admin pages need two-step verification." in page
    turn_on(client)
    assert client.get("/cities/murcia/manage/consultations").status_code == 200


def test_network_admin_pages_ask_for_it_too(app, client, required):
    with app.app_context():
        make_user("net@example.org", network_role=NetworkRole.NETWORK_ADMIN)
    login(client, "net@example.org")
    assert client.get("/admin/cities").headers["Location"] == "/account/two-step"
    turn_on(client)
    assert client.get("/admin/cities").status_code == 200


def test_staff_of_another_city_still_get_404_not_the_two_step_page(app, client, required):
    with app.app_context():
        make_city("murcia")
        make_user("other@example.org", city=make_city("beirut"), city_role=CityRoleName.STAFF)
    login(client, "other@example.org")
    assert client.get("/cities/murcia/manage/consultations").status_code == 404


def test_staff_cannot_turn_it_off_where_it_is_required(app, client, required):
    with app.app_context():
        make_user("staff@example.org", city=make_city("murcia"), city_role=CityRoleName.STAFF)
    login(client, "staff@example.org")
    turn_on(client)

    page = client.get("/account/two-step").get_data(as_text=True)
    assert "needs two-step verification, so it stays on" in page
    assert "/account/two-step/off" not in page
    refused = submit(client, "/account/two-step/off", {"off-current_password": PASSWORD}, page="/account/two-step")
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(User.two_step_key).filter_by(email="staff@example.org")) is not None


def test_young_people_are_not_asked_for_it(client, ana, required):
    assert sign_in(client).headers["Location"] == "/cities/murcia/"
    assert signed_in(client)


def test_the_code_page_is_translated(client, ana):
    at_the_code_step(client)
    page = client.get("/login/code", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "Two-step verification" not in page


def test_moving_to_a_new_phone_retires_the_old_key_and_codes(app, client, ana):
    login(client, EMAIL)
    old_key, old_codes = turn_on(client)
    page = client.get("/account/two-step").get_data(as_text=True)
    assert 'href="/account/two-step?new-phone=yes"' in page

    form = client.get("/account/two-step?new-phone=yes").get_data(as_text=True)
    assert "Move two-step verification to a new phone" in form
    new_key = typed_key(form)
    assert new_key != old_key
    response = submit(client, "/account/two-step?new-phone=yes", {"code": code(new_key), "current_password": PASSWORD})

    new_codes = backup_codes(response.get_data(as_text=True))
    assert len(new_codes) == 10
    assert len(events(app, "account.two_step_moved")) == 1
    submit(client, "/logout", page="/")
    sign_in(client)
    assert submit(client, "/login/code", {"code": code(old_key, 1)}).status_code == 422
    assert submit(client, "/login/code", {"code": old_codes[0]}).status_code == 422
    assert submit(client, "/login/code", {"code": code(new_key, 1)}).status_code == 302


def test_an_operator_turns_it_off_for_someone_who_lost_phone_and_codes(app, client, runner, ana):
    login(client, EMAIL)
    turn_on(client)
    submit(client, "/logout", page="/")

    result = runner.invoke(args=["two-step-off", EMAIL.upper()])

    assert result.exit_code == 0 and "Two-step verification is off" in result.output
    assert sign_in(client).headers["Location"] == "/cities/murcia/"
    assert [e.detail for e in events(app, "account.two_step_off")] == [{"by": "operator"}]
    again = runner.invoke(args=["two-step-off", EMAIL])
    assert again.exit_code != 0 and "No account of" in again.output


def test_deleting_the_account_erases_the_key_and_backup_codes(app, client, ana):
    login(client, EMAIL)
    turn_on(client)

    submit(client, "/account/delete", {"current_password": PASSWORD, "confirm": "y"})

    with app.app_context():
        user = db.session.get(User, ana)
        assert user.deleted_at is not None
        assert (user.two_step_key, user.two_step_last_step, user.backup_code_hashes) == (None, None, None)


def test_turning_it_on_signs_out_every_other_device(app, client, ana):
    other_device = app.test_client()
    login(other_device, EMAIL)
    login(client, EMAIL)

    key = typed_key(client.get("/account/two-step").get_data(as_text=True))
    page = submit(client, "/account/two-step", {"code": code(key), "current_password": PASSWORD}).get_data(as_text=True)

    assert "You were signed out on every other device." in page
    assert len(backup_codes(page)) == 10
    assert not signed_in(other_device)
    assert signed_in(client)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # the forms of the page still work
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not signed_in(client)


def test_city_admins_see_which_role_holders_use_it(app, client):
    with app.app_context():
        murcia = make_city("murcia")
        make_user("admin@example.org", display_name="Admin", city=murcia, city_role=CityRoleName.CITY_ADMIN)
        make_user("staff@example.org", display_name="Staff", city=murcia, city_role=CityRoleName.STAFF)
    login(client, "admin@example.org")
    turn_on(client)

    page = client.get("/cities/murcia/manage/roles").get_data(as_text=True)

    rows = dict(
        re.findall(r'<th scope="row">(\w+)[^<]*</th>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>(on|off)</td>', page)
    )
    assert rows == {"Admin": "on", "Staff": "off"}
