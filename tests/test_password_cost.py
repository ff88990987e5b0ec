"""The cost of password hashes comes from the configuration: production hashes at argon2id's RFC 9106 low-memory
profile (time cost 3, 64 MiB, 4 lanes), tests at the cheapest cost; a hash made at any cost still verifies, and one
made at another cost than the configured one is redone at the next sign-in."""

import pytest
from argon2 import Type, extract_parameters

from youth_portal import create_app
from youth_portal.accounts.passwords import hash_password, needs_rehash, verify_password

PASSWORD = "a long sentence only I know"
#: argon2id, version 0x13, time cost, memory cost in KiB, parallelism: RFC 9106's second recommended option.
PRODUCTION_COST = (Type.ID, 0x13, 3, 65536, 4)


def cost_of(password_hash: str) -> tuple:
    """The algorithm and cost written in a hash."""
    parameters = extract_parameters(password_hash)
    return (parameters.type, parameters.version, parameters.time_cost, parameters.memory_cost, parameters.parallelism)


@pytest.fixture(scope="module")
def production_app(tmp_path_factory):
    """An app created with the settings of production, as the operator sets them in the environment."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("YOUTH_PORTAL_ENV", "production")
        environment.setenv("SECRET_KEY", "a-long-random-value-from-the-operator")
        environment.setenv("PUBLIC_URL", "https://youth.example.org")
        environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('production') / 'p.db'}")
        return create_app()


@pytest.fixture(scope="module")
def production_hash(production_app) -> str:
    with production_app.app_context():
        return hash_password(PASSWORD)


def test_production_hashes_at_the_rfc_9106_low_memory_profile(production_hash):
    assert cost_of(production_hash) == PRODUCTION_COST


def test_tests_hash_at_the_cheapest_cost(app):
    with app.app_context():
        assert cost_of(hash_password(PASSWORD)) == (Type.ID, 0x13, 1, 8, 1)


def test_production_verifies_a_cheap_hash_and_redoes_it(app, production_app, production_hash):
    with app.app_context():
        cheap = hash_password(PASSWORD)
    with production_app.app_context():
        assert verify_password(cheap, PASSWORD)
        assert not verify_password(cheap, "another sentence")
        assert needs_rehash(cheap)
        assert not needs_rehash(production_hash)


def test_the_configured_cost_decides_what_is_redone(app, production_hash):
    with app.app_context():
        assert verify_password(production_hash, PASSWORD)
        assert needs_rehash(production_hash)
        assert not needs_rehash(hash_password(PASSWORD))
