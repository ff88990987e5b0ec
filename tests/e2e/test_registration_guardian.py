"""Registration asks for a guardian only when the city and birth date need one: with JavaScript the fields come and
go as the date is chosen; without, the page sent back asks for them and keeps what was typed but the password."""

from browser_checks import axe_check, axe_check_as_served
from support import PASSWORD
from youth_portal.timeutil import utcnow


def fill(page, birth_year: int) -> None:
    form = page.locator("main form")
    form.locator("[name=email]").fill("luz@example.org")
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=display_name]").fill("Luz")
    form.locator("[name=home_city]").select_option(label="Murcia")
    form.locator("[name=birth_year]").select_option(str(birth_year))
    form.locator("[name=birth_month]").select_option("1")
    form.locator("[name=accept_terms]").check()


def test_the_guardian_fields_come_as_the_birth_date_needs_them(page, murcia):
    page.goto("/register")
    guardian = page.get_by_label("Your parent's or guardian's email address")
    assert guardian.count() == 0
    fill(page, utcnow().year - 13)
    guardian.wait_for(timeout=10_000)
    assert page.get_by_role("group", name="Parent or guardian").is_visible()
    axe_check(page)
    page.locator("[name=birth_year]").select_option(str(utcnow().year - 20))
    guardian.wait_for(state="detached", timeout=10_000)


def test_without_javascript_the_page_asks_for_the_guardian_and_keeps_what_was_typed(new_page, murcia):
    page = new_page(java_script_enabled=False)
    checker = new_page()
    page.goto("/register")
    assert page.get_by_label("Your parent's or guardian's email address").count() == 0
    fill(page, utcnow().year - 13)
    with page.expect_navigation():
        page.get_by_role("button", name="Create my account").click()
    assert page.get_by_label("Your parent's or guardian's email address").is_visible()
    assert page.locator("[name=display_name]").input_value() == "Luz"
    assert page.locator("[name=password]").input_value() == ""
    assert "Everything you typed is kept except your password" in page.locator("main").inner_text()
    axe_check_as_served(page, checker)

    page.get_by_label("Your parent's or guardian's email address").fill("mum@example.org")
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create my account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
