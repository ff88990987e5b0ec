"""Every staff page asks for a capability through access.requires, which checks it in the page's city: read from the
app's URL map, so a new staff view without the decorator fails here (who may use each page is in
test_city_isolation.py, written out)."""

import pytest

from support import TEST_SETTINGS
from youth_portal import create_app
from youth_portal.access import pages_for
from youth_portal.accounts.models import CityRoleName, NetworkRole
from youth_portal.features import all_features
from youth_portal.permissions import CITY_CAPABILITIES, NETWORK_CAPABILITIES, NETWORK_WIDE, Capability

_APP = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
_VIEWS = _APP.view_functions

#: Where staff-only pages live: a city's manage pages and the network admin pages.
STAFF_ONLY_PREFIXES = ("/cities/<slug>/manage", "/admin/")
#: Blueprints that serve staff only, wherever their addresses are (the results blueprint serves the public too).
STAFF_ONLY_BLUEPRINTS = (
    "consultations.staff",
    "consultations.builder",
    "consultations.outcome",
    "consultations.settings",
    "admin",
)


def _staff_only(rule) -> bool:
    """A rule for staff only: under a staff prefix, or served by a staff-only blueprint."""
    blueprint = rule.endpoint.rpartition(".")[0]
    return rule.rule.startswith(STAFF_ONLY_PREFIXES) or blueprint.startswith(STAFF_ONLY_BLUEPRINTS)


with _APP.app_context():
    #: The manage menu's entries, from every feature.
    MENU = [entry for feature in all_features() for entry in feature.menu]
STAFF_RULES = sorted((rule.rule, rule.endpoint) for rule in _APP.url_map.iter_rules() if _staff_only(rule))


def test_the_staff_rules_are_found():
    endpoints = {endpoint for _rule, endpoint in STAFF_RULES}
    assert {
        "consultations.staff.list",
        "consultations.settings.edit",
        "admin.manage.roles",
        "admin.cities",
    } <= endpoints
    assert len(STAFF_RULES) >= 30


@pytest.mark.parametrize(("rule", "endpoint"), STAFF_RULES)
def test_every_staff_view_asks_for_a_capability_and_a_city_capability_in_the_city_of_its_address(rule, endpoint):
    capability = getattr(_VIEWS[endpoint], "capability", None)
    assert isinstance(capability, Capability), f"{endpoint} ({rule}) is not decorated with access.requires"
    if capability not in NETWORK_WIDE:
        assert rule.startswith("/cities/<slug>/"), f"{endpoint} asks for a city capability without a city"


def test_no_other_view_asks_for_a_capability():
    """A view asking for a capability outside the staff prefixes would escape the isolation tests."""
    decorated = {endpoint for endpoint, view in _VIEWS.items() if hasattr(view, "capability")}
    assert decorated == {endpoint for _rule, endpoint in STAFF_RULES}


def test_city_roles_hold_only_city_capabilities_and_network_roles_only_network_ones():
    assert set(CITY_CAPABILITIES) == set(CityRoleName)
    assert set(NETWORK_CAPABILITIES) == set(NetworkRole)
    assert all(not (held & NETWORK_WIDE) for held in CITY_CAPABILITIES.values())
    assert all(held <= NETWORK_WIDE for held in NETWORK_CAPABILITIES.values())


@pytest.mark.parametrize(("endpoint", "_label", "capability"), MENU)
def test_the_manage_menu_offers_a_page_to_whoever_its_view_admits(endpoint, _label, capability):
    assert _VIEWS[endpoint].capability == capability


def test_the_manage_menu_of_a_moderator_is_empty_and_staff_see_only_consultations():
    with _APP.app_context():
        assert pages_for(CityRoleName.MODERATOR) == []
        assert pages_for(None) == []
        assert [endpoint for endpoint, _label in pages_for(CityRoleName.STAFF)] == ["consultations.staff.list"]
        assert len(pages_for(CityRoleName.CITY_ADMIN)) == len(MENU)
