"""Stub: replaced by the guardian consent work."""


def request_consent(user, guardian_email: str, language: str):
    """Ask the guardian to consent (creates a pending GuardianConsent and emails the guardian)."""
    raise NotImplementedError
