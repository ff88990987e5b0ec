"""What each role may do, as capabilities: a view asks for a capability (in a city, or in the network), never for a
tuple of roles. Features name the capabilities they need here; the map below is the one place roles get them."""

import enum

from .accounts.models import CityRoleName, NetworkRole


class Capability(enum.StrEnum):
    # In one city
    MANAGE_CONSULTATIONS = "consultations.manage"  #: write, publish, close and export consultations, see results
    REVIEW_QUOTES = "consultations.review-quotes"  #: read written answers, approve and withdraw public quotes
    PUBLISH_OUTCOMES = "consultations.publish-outcomes"  #: "you said, we did": outcome, commitments, updates
    MANAGE_CITY_SETTINGS = "city.settings"  #: the city's consultation settings (k, districts, languages...)
    MANAGE_ROLES = "city.roles"  #: grant and revoke staff and moderator roles
    VIEW_AUDIT_LOG = "city.audit-log"
    MODERATE = "city.moderate"  #: reports, review queues, reasons to authors, appeals (moderation, later)
    # In the whole network
    VIEW_NETWORK_AGGREGATES = "network.aggregates"  #: participation across cities, never a person
    MANAGE_NETWORK = "network.manage"  #: create cities, appoint their admins


#: The capabilities held across the whole network, by a network role; every other capability is held in one city, by
#: a city role there (a network role gives none of them: network admins reach no city's staff pages).
NETWORK_WIDE = frozenset({Capability.VIEW_NETWORK_AGGREGATES, Capability.MANAGE_NETWORK})

CITY_CAPABILITIES: dict[CityRoleName, frozenset[Capability]] = {
    CityRoleName.STAFF: frozenset(
        {
            Capability.MANAGE_CONSULTATIONS,
            Capability.REVIEW_QUOTES,
            Capability.PUBLISH_OUTCOMES,
        }
    ),
    CityRoleName.MODERATOR: frozenset({Capability.MODERATE}),
    CityRoleName.CITY_ADMIN: frozenset(
        {
            Capability.MANAGE_CONSULTATIONS,
            Capability.REVIEW_QUOTES,
            Capability.PUBLISH_OUTCOMES,
            Capability.MANAGE_CITY_SETTINGS,
            Capability.MANAGE_ROLES,
            Capability.VIEW_AUDIT_LOG,
            Capability.MODERATE,
        }
    ),
}

NETWORK_CAPABILITIES: dict[NetworkRole, frozenset[Capability]] = {
    NetworkRole.NETWORK_STAFF: frozenset({Capability.VIEW_NETWORK_AGGREGATES}),
    NetworkRole.NETWORK_ADMIN: frozenset({Capability.VIEW_NETWORK_AGGREGATES, Capability.MANAGE_NETWORK}),
}


def city_capabilities(role: CityRoleName | None) -> frozenset[Capability]:
    """What a person holding `role` in a city may do there (nothing without a role)."""
    return CITY_CAPABILITIES[role] if role else frozenset()


def network_capabilities(role: NetworkRole | None) -> frozenset[Capability]:
    """What a person holding a network role may do across the network (nothing in any one city's staff pages)."""
    return NETWORK_CAPABILITIES[role] if role else frozenset()
