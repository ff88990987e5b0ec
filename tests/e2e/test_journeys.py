"""A young person registers, confirms their email from the outbox, signs in and opens My account, in a real
browser: in English, in Arabic (right to left), and without JavaScript. axe-core checks every page on the way."""

from datetime import date

from browser_checks import assert_language, axe_check, axe_check_as_served
from support import PASSWORD, last_message_to, link_in, make_user

ADULT_BIRTH_YEAR = str(date.today().year - 20)


def submit(page, button) -> None:
    """Press a form's submit button and wait for the page that answers."""
    with page.expect_navigation():
        button.click()


def fill_registration(page, *, email: str, display_name: str, city: str, language: str) -> None:
    form = page.locator("main form")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=display_name]").fill(display_name)
    form.locator("[name=home_city]").select_option(label=city)
    form.locator("[name=birth_year]").select_option(ADULT_BIRTH_YEAR)
    form.locator("[name=birth_month]").select_option("5")
    form.locator("[name=language]").select_option(language)
    form.locator("[name=accept_terms]").check()


def test_register_confirm_and_sign_in_in_english(page, cities, outbox):
    page.goto("/")
    assert_language(page, "en", "ltr")
    axe_check(page)

    page.get_by_role("link", name="Create an account").first.click()
    page.wait_for_url("**/register")
    assert page.get_by_role("heading", level=1).inner_text() == "Create an account"
    axe_check(page)

    fill_registration(page, email="river@example.org", display_name="River", city="Murcia", language="en")
    submit(page, page.get_by_role("button", name="Create my account"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert "river@example.org" in page.locator("main").inner_text()
    axe_check(page)

    message = last_message_to(outbox, "river@example.org")
    assert message["Content-Language"] == "en"
    page.goto(link_in(message, "/verify/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email address"
    axe_check(page)

    submit(page, page.get_by_role("button", name="Confirm my email"))
    assert page.url.endswith("/cities/murcia/")  # signed in by confirming, in the city chosen
    flashes = page.locator(".flashes").inner_text()
    assert "your email address is confirmed" in flashes and "Welcome, River. You are signed in." in flashes
    axe_check(page)

    page.get_by_role("link", name="My account").click()
    page.wait_for_url("**/account")
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    axe_check(page)
    assert "river@example.org" in page.locator("main").inner_text()
    axe_check(page)


def test_register_confirm_and_sign_in_in_arabic(new_page, cities, outbox):
    page = new_page(locale="en-GB")
    page.goto("/")
    assert_language(page, "en", "ltr")
    page.locator("#language-select").select_option("ar")
    submit(page, page.get_by_role("button", name="Change"))
    assert_language(page, "ar", "rtl")
    axe_check(page)

    page.locator("header a[href='/register']").click()
    page.wait_for_url("**/register")
    assert_language(page, "ar", "rtl")
    axe_check(page)

    fill_registration(page, email="nour@example.org", display_name="نور", city="Beirut", language="ar")
    submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/register/check-email")
    assert_language(page, "ar", "rtl")
    assert "nour@example.org" in page.locator("main").inner_text()
    axe_check(page)

    message = last_message_to(outbox, "nour@example.org")
    assert message["Content-Language"] == "ar"
    page.goto(link_in(message, "/verify/"))
    assert_language(page, "ar", "rtl")
    assert "نور" in page.locator("main").inner_text()
    axe_check(page)

    submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/cities/beirut/")  # signed in by confirming
    assert "نور" in page.locator(".flashes").inner_text()
    assert_language(page, "ar", "rtl")
    axe_check(page)

    page.locator("header a[href='/account']").click()
    page.wait_for_url("**/account")
    assert_language(page, "ar", "rtl")
    assert "nour@example.org" in page.locator("main").inner_text()
    axe_check(page)


def test_registration_errors_are_shown_beside_the_fields(page, cities):
    page.goto("/register")
    submit(page, page.get_by_role("button", name="Create my account"))
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#email-error").inner_text().strip() == "Please enter your email address."
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert "email-error" in page.locator("#email").get_attribute("aria-describedby")
    assert page.locator("#accept_terms-error").is_visible()
    axe_check(page)


def test_signing_in_works_without_javascript(new_page, app):
    with app.app_context():
        make_user("sky@example.org", display_name="Sky")
    page = new_page(locale="en-GB", java_script_enabled=False)
    checker = new_page(locale="en-GB")
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "en"
    axe_check_as_served(page, checker)

    main = page.locator("main")
    main.get_by_label("Email address").fill("sky@example.org")
    main.get_by_label("Password").fill(PASSWORD)
    submit(page, main.get_by_role("button", name="Sign in"))
    assert "Welcome, Sky. You are signed in." in page.locator(".flashes").inner_text()
    axe_check_as_served(page, checker)

    page.get_by_role("link", name="My account").click()
    page.wait_for_url("**/account")
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    assert "sky@example.org" in page.locator("main").inner_text()
    axe_check_as_served(page, checker)


def test_a_minor_registers_and_the_guardian_agrees_in_their_own_language(new_page, cities, outbox):
    young = new_page(locale="en-GB")
    young.goto("/register")
    fill_registration(young, email="luz@example.org", display_name="Luz", city="Murcia", language="en")
    young.locator("[name=birth_year]").select_option(str(date.today().year - 13))
    young.locator("[name=birth_month]").select_option("1")
    young.locator("[name=guardian_email]").fill("parent-of-luz@example.org")
    young.locator("[name=guardian_language]").select_option("ar")
    submit(young, young.get_by_role("button", name="Create my account"))
    assert young.get_by_role("heading", name="Your parent or guardian").is_visible()
    assert "parent-of-luz@example.org" in young.locator("main").inner_text()
    axe_check(young)

    request = last_message_to(outbox, "parent-of-luz@example.org")
    assert request["Content-Language"] == "ar"
    guardian = new_page(locale="en-GB")  # another person, another browser: the page follows the language chosen
    guardian.goto(link_in(request, "/guardian/consent/"))
    assert_language(guardian, "ar", "rtl")
    assert "Luz" in guardian.get_by_role("heading", level=1).inner_text()
    axe_check(guardian)

    submit(guardian, guardian.locator("main form [name=agree]"))
    assert "/guardian/done/granted" in guardian.url
    assert_language(guardian, "ar", "rtl")
    axe_check(guardian)
