"""The terms of use and the privacy notice: their version, stored with each registration."""

#: Version of the terms and privacy notice; stored with each registration.
TERMS_VERSION = "2026-12"
