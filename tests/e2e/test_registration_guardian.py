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


def test_what_was_typed_for_the_guardian_stays_while_the_birth_date_is_checked_again(page, murcia):
    """An answer about the birth month that arrives after the guardian's address was typed (sent before it) must not
    empty the address: it did, and a fast 13-year-old's registration came back asking for the guardian again."""
    page.goto("/register")
    fill(page, utcnow().year - 13)
    guardian = page.get_by_label("Your parent's or guardian's email address")
    guardian.wait_for(timeout=10_000)
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/register/validate", hold)
    page.locator("[name=birth_month]").select_option("2")
    while not held:
        page.wait_for_timeout(20)
    guardian.fill("mum@example.org")  # typed while the check of the month is on its way
    with page.expect_response(lambda response: response.url.endswith("/register/validate")):
        held[0].continue_()
    page.unroute("**/register/validate", hold)
    page.wait_for_timeout(50)  # htmx swaps after the response
    assert guardian.input_value() == "mum@example.org"
    page.locator("[name=birth_year]").select_option(str(utcnow().year - 20))
    guardian.wait_for(state="detached", timeout=10_000)


def test_an_answer_overtaken_by_a_newer_one_does_not_hide_the_guardian_fields(page, murcia):
    """The answer to the birth year, sent before the month was chosen, arrives after the month's: it must not hide
    the guardian's fields the month's answer has shown."""
    page.goto("/register")
    form = page.locator("main form")
    form.locator("[name=home_city]").select_option(label="Murcia")
    held = []

    def hold_the_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/register/validate", hold_the_first)
    form.locator("[name=birth_year]").select_option(str(utcnow().year - 13))
    while not held:
        page.wait_for_timeout(20)
    guardian = page.get_by_label("Your parent's or guardian's email address")
    form.locator("[name=birth_month]").select_option("1")
    guardian.wait_for(timeout=10_000)
    with page.expect_response(lambda response: response.url.endswith("/register/validate")):
        held[0].continue_()  # the year's answer, last
    page.wait_for_timeout(50)  # htmx swaps after the response
    assert guardian.is_visible()


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
