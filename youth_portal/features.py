"""Where a feature plugs into the platform: each feature package declares one `Feature` in its `feature.py`, and
`create_app` registers them, in order (the order of their menu entries and of their sections in a person's data).

A feature only declares; the shared pieces read the declarations: the manage menu (`access.pages_for`), the audit log
page (labels, and the titles of the things events are about), the personal-data download, account deletion and a
guardian's withdrawal of consent, the retention command (retention.py: which events and rows expire), the page cache
(which models' changes make kept pages stale), and the email worker (its jobs). The network dashboard will read
`indicators`. Plain data, read through `current_app`: no import-time side effects and no signals to trace.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from flask import Blueprint, Flask, current_app

if TYPE_CHECKING:  # permissions reads the roles of accounts, a feature: features.py imports no feature
    from .permissions import Capability

_EXTENSION = "youth_portal.features"


class MenuEntry(NamedTuple):
    """A page of a city's manage menu, shown to the people whose role in the city has the capability."""

    endpoint: str  #: takes the city's `slug`
    label: Any  #: lazy translated text
    capability: "Capability"


class AuditTarget(NamedTuple):
    """What an audit event is about, as the audit page shows it: a title (with the flag that it fell back to the
    city's default language) and a link to its page."""

    title: str
    fell_back: bool
    url: str


#: For a city, a set of ids and the reader's language: id -> AuditTarget, for those of the city (one query).
AuditTargets = Callable[[Any, Collection[int], str], Mapping[int, AuditTarget]]


@dataclass(frozen=True)
class Feature:
    """What one feature brings to the shared pieces. Everything is optional except the name."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    #: The feature's pages in a city's manage menu.
    menu: tuple[MenuEntry, ...] = ()
    #: Plain words for each audit action the feature records (dotted name -> lazy text).
    audit_labels: Mapping[str, Any] = field(default_factory=dict)
    #: For each type of audit target the feature owns (`AuditEvent.target_type`, its table name), its titles.
    audit_targets: Mapping[str, AuditTargets] = field(default_factory=dict)
    #: The feature's part of a person's data download: section name -> JSON-ready value (a fixed number of queries).
    export_personal_data: Callable[[Any], dict[str, Any]] | None = None
    #: Erases the feature's personal data of a person deleting their account (flushes; the caller commits).
    erase_personal_data: Callable[[Any], None] | None = None
    #: Stops using what a young person gave under their guardian's consent once the guardian withdraws it (flushes).
    withdraw_personal_data: Callable[[Any], None] | None = None
    #: The columns referring to a person ("table.column") that the exporter and the eraser above handle.
    personal_data_columns: frozenset[str] = frozenset()
    #: Columns referring to a person that are not exported, or stay after erasure, each with the reason.
    kept_columns: Mapping[str, str] = field(default_factory=dict)
    #: Audit actions about a person's own account (sign-ins, its changes, a guardian's consent), which the retention
    #: command deletes from the log after ACCOUNT_EVENTS_KEPT (retention.py); staff actions are kept.
    account_events: frozenset[str] = frozenset()
    #: What the retention command runs after its own jobs: each deletes or unlinks what is past its retention at the
    #: time given (flushes) and returns how many rows.
    retention_jobs: tuple[Callable[[datetime], int], ...] = ()
    #: Models whose changes (on commit) make every kept visitor page stale (consultations/page_cache.py).
    page_cache_models: tuple[type, ...] = ()
    #: What the email worker runs, in order, after the queued emails; each returns how many emails it sent.
    worker_jobs: tuple[Callable[[], int], ...] = ()
    #: Figures for the network dashboard (to come).
    indicators: tuple = ()


def register(app: Flask, feature: Feature) -> None:
    """Add a feature to the app, after those registered before it; its blueprints are registered with it."""
    registered = app.extensions.setdefault(_EXTENSION, {})
    if feature.name in registered:
        raise ValueError(f"The feature {feature.name!r} is registered twice.")
    registered[feature.name] = feature
    for blueprint in feature.blueprints:
        app.register_blueprint(blueprint)


def all_features() -> tuple[Feature, ...]:
    """The current app's features, in the order they were registered."""
    return tuple(current_app.extensions.get(_EXTENSION, {}).values())


def audit_labels() -> dict[str, Any]:
    """Every feature's audit labels in one mapping (action -> lazy text)."""
    return {action: label for feature in all_features() for action, label in feature.audit_labels.items()}


def audit_target_loaders() -> dict[str, AuditTargets]:
    """Target type -> the function that gives the titles of such targets, over every feature."""
    return {kind: titles for feature in all_features() for kind, titles in feature.audit_targets.items()}


def page_cache_models() -> tuple[type, ...]:
    """The models whose changes make kept visitor pages stale, over every feature."""
    return tuple(model for feature in all_features() for model in feature.page_cache_models)


def account_events() -> frozenset[str]:
    """The audit actions about a person's own account, over every feature."""
    return frozenset(action for feature in all_features() for action in feature.account_events)


def retention_jobs() -> tuple[Callable[[datetime], int], ...]:
    """The features' retention jobs, in the order of registration."""
    return tuple(job for feature in all_features() for job in feature.retention_jobs)


def worker_jobs() -> tuple[Callable[[], int], ...]:
    """The email worker's jobs, over every feature, in the order of registration."""
    return tuple(job for feature in all_features() for job in feature.worker_jobs)
