"""What the browser tests check on every page (axe-core's WCAG 2.2 A/AA rules, the page's language), and signing
in as a person would."""

from pathlib import Path

from support import PASSWORD
from youth_portal import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_check(page) -> None:
    """Assert that axe-core finds no WCAG 2.2 A or AA violation on the page as it is now.

    The page needs JavaScript (axe-core waits on timers): for a page opened without it, use axe_check_as_served.
    """
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = result["violations"]
    report = []
    for violation in violations:
        report.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"]:
            report.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
    assert not violations, f"axe-core violations on {page.url}:\n" + "\n".join(report)


def axe_check_as_served(page, checker) -> None:
    """axe_check for a page opened without JavaScript: its HTML, exactly as that page shows it, is loaded at the
    same address in `checker`, a page with JavaScript, and checked there."""
    url, html = page.url, page.content()
    checker.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    checker.goto(url)
    checker.unroute(url)
    axe_check(checker)


def assert_language(page, language: str, direction: str) -> None:
    """The page declares its language and writing direction on <html>."""
    html = page.locator("html")
    found = (html.get_attribute("lang"), html.get_attribute("dir"))
    assert found == (language, direction), f"{page.url}: lang, dir = {found}"


def sign_in(page, email: str) -> None:
    """Fill in the sign-in form with the tests' password, send it, and wait for the page that answers."""
    page.goto("/login")
    form = page.locator("main form")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
