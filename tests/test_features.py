"""The feature registry (youth_portal/features.py): every feature plugs into the shared pieces through it."""

import re

import pytest

from support import login, make_city, make_user
from youth_portal.accounts.models import CityRoleName
from youth_portal.extensions import db
from youth_portal.features import Feature, MenuEntry, all_features, register
from youth_portal.permissions import Capability


def columns_referring_to_a_person() -> set[str]:
    """Every "table.column" of the models that holds the id of an account."""
    return {
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if any(key.column.table.name == "users" for key in column.foreign_keys)
    }


def test_every_column_referring_to_a_person_is_exported_and_erased_or_kept_for_a_stated_reason(app):
    with app.app_context():
        features = all_features()
        handled = {column: feature for feature in features for column in feature.personal_data_columns}
        kept = {column: reason for feature in features for column, reason in feature.kept_columns.items()}
        columns = columns_referring_to_a_person()
    assert {"responses.user_id", "guardian_consents.user_id", "audit_events.actor_id"} <= columns
    unaccounted = sorted(columns - handled.keys() - kept.keys())
    assert unaccounted == [], "say in a feature.py how these are exported and erased, or why they are kept"
    for column, feature in handled.items():
        assert feature.export_personal_data and feature.erase_personal_data, (column, feature.name)
    assert all(len(reason) > 20 for reason in kept.values()), kept
    assert not (handled.keys() & kept.keys())


def test_every_column_a_feature_names_exists(app):
    with app.app_context():
        named = {
            column for feature in all_features() for column in (*feature.personal_data_columns, *feature.kept_columns)
        }
        assert sorted(named - columns_referring_to_a_person()) == []


def test_no_audit_action_is_labelled_by_two_features(app):
    with app.app_context():
        actions = [action for feature in all_features() for action in feature.audit_labels]
    assert len(actions) == len(set(actions)) and "consultation.closed" in actions and "role.granted" in actions


def test_account_events_are_audit_actions_of_their_feature_and_staff_actions_are_not_among_them(app):
    with app.app_context():
        for feature in all_features():
            assert feature.account_events <= feature.audit_labels.keys(), feature.name
        events = {action for feature in all_features() for action in feature.account_events}
    assert {"auth.login.succeeded", "account.registered", "guardian.consented"} <= events
    assert not events & {"account.suspended", "role.granted", "consultation.closed", "city.created"}


@pytest.fixture
def sketches(app):
    """The app is shared by the whole run: the features a test registers on it are taken away afterwards."""
    registered = app.extensions["youth_portal.features"]
    before = dict(registered)
    yield
    registered.clear()
    registered.update(before)


def test_a_feature_is_registered_once(app):
    with app.app_context(), pytest.raises(ValueError, match="registered twice"):
        register(app, Feature("consultations"))


def menu_of(client, page: str) -> list[str]:
    response = client.get(page)
    assert response.status_code == 200, page
    nav = re.search(
        r'<nav aria-label="Manage [^"]*" class="manage-nav">(.*?)</nav>', response.get_data(as_text=True), re.S
    )
    return re.findall(r"<a [^>]*>([^<]*)</a>", nav.group(1))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (CityRoleName.CITY_ADMIN, ["City page", "Consultations", "Consultation settings", "Roles", "Audit log"]),
        (CityRoleName.STAFF, ["City page", "Consultations"]),
    ],
)
def test_the_manage_menu_is_the_same_on_every_manage_page_and_follows_the_role(app, client, role, expected):
    with app.app_context():
        murcia = make_city("murcia")
        make_user("boss@example.org", city=murcia, city_role=role)
    login(client, "boss@example.org")
    pages = ["/cities/murcia/manage/consultations", "/cities/murcia/manage/consultations/new"]
    if role == CityRoleName.CITY_ADMIN:
        pages += [
            "/cities/murcia/manage/roles",
            "/cities/murcia/manage/audit",
            "/cities/murcia/manage/consultations/settings",
        ]
    for page in pages:
        assert menu_of(client, page) == expected, page
    city_page = client.get("/cities/murcia/").get_data(as_text=True)
    manage = re.search(r'<section class="card" aria-labelledby="manage-heading">(.*?)</section>', city_page, re.S)
    assert re.findall(r"<a [^>]*>([^<]*)</a>", manage.group(1)) == expected[1:]


def test_a_features_menu_entry_shows_to_the_roles_with_its_capability(app, client, sketches):
    with app.app_context():
        murcia = make_city("murcia")
        make_user("mod@example.org", city=murcia, city_role=CityRoleName.MODERATOR)
    register(app, Feature("moderation-sketch", menu=(MenuEntry("cities.city", "Reports", Capability.MODERATE),)))
    login(client, "mod@example.org")
    page = client.get("/cities/murcia/").get_data(as_text=True)
    assert '<li><a href="/cities/murcia/">Reports</a></li>' in page


def test_the_email_worker_runs_the_jobs_the_features_register(app, runner, sketches):
    runs = []

    def job() -> int:
        runs.append("ran")
        return 2

    register(app, Feature("sketch", worker_jobs=(job, job)))
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0, result.output
    assert runs == ["ran", "ran"] and "4 emails sent." in result.output
