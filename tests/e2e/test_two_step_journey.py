"""A city's staff member turns on two-step verification with an authenticator app and signs in with its code, in a
real browser, in English and in Arabic; axe-core checks every page on the way (the QR code included)."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from browser_checks import assert_language, axe_check, sign_in
from support import PASSWORD, make_city, make_user
from youth_portal.accounts.models import CityRoleName


def add_staff(app, language: str) -> None:
    app.config["STAFF_TWO_STEP_REQUIRED"] = True
    with app.app_context():
        make_user(
            "staff@example.org",
            display_name="Ana",
            city=make_city("murcia", name="Murcia"),
            city_role=CityRoleName.STAFF,
            language=language,
        )


def code(key: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(key).at(datetime.now(UTC) + timedelta(seconds=30 * steps_ahead))


def press(page, button) -> None:
    with page.expect_navigation():
        button.click()


@pytest.mark.parametrize(("locale", "language", "direction"), [("en-GB", "en", "ltr"), ("ar", "ar", "rtl")])
def test_staff_turn_it_on_then_sign_in_with_the_apps_code(app, new_page, locale, language, direction):
    add_staff(app, language)  # the pages after signing in are in the person's language
    page = new_page(locale=locale)
    sign_in(page, "staff@example.org")
    page.goto("/cities/murcia/manage/consultations")
    assert page.url.endswith("/account/two-step")  # staff pages wait until it is on
    assert_language(page, language, direction)
    assert page.locator("svg[role=img] title").count() == 1
    axe_check(page)

    key = page.locator("code.typed-key").inner_text().replace(" ", "")
    form = page.locator("main form")
    form.locator("[name=code]").fill("000000" if code(key) != "000000" else "111111")
    form.locator("[name=current_password]").fill(PASSWORD)
    press(page, form.locator("button[type=submit]"))
    assert page.locator("#code-error").is_visible()  # wrong code: said beside the field
    axe_check(page)
    form.locator("[name=code]").fill(code(key))
    form.locator("[name=current_password]").fill(PASSWORD)
    press(page, form.locator("button[type=submit]"))
    assert page.locator("ul.backup-codes li").count() == 10
    axe_check(page)

    press(page, page.locator("header form[action='/logout'] button"))
    sign_in(page, "staff@example.org")
    assert page.url.endswith("/login/code")
    assert_language(page, language, direction)
    axe_check(page)
    page.locator("main form [name=code]").fill(code(key, 1))
    press(page, page.locator("main form button[type=submit]"))
    page.goto("/cities/murcia/manage/consultations")
    assert page.url.endswith("/cities/murcia/manage/consultations")
    axe_check(page)
    page.goto("/account/two-step")  # where it stands: backup codes left, a new phone, no way to turn it off
    assert page.locator("#backup-codes-heading").is_visible()
    assert page.locator("form[action='/account/two-step/off']").count() == 0
    assert_language(page, language, direction)
    axe_check(page)
