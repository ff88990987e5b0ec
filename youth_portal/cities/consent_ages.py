"""Digital age of consent (GDPR Art. 8 and COPPA) by country, as data.

Source: shared/reference/SAFETY.md. Below this age a guardian must consent. A city may override it.
"""

DEFAULT_CONSENT_AGE = 16

CONSENT_AGE_BY_COUNTRY = {
    **dict.fromkeys(["BE", "DK", "EE", "FI", "LV", "MT", "PT", "SE", "GB", "US"], 13),
    **dict.fromkeys(["AT", "BG", "CY", "ES", "IT", "LT"], 14),
    **dict.fromkeys(["CZ", "FR", "GR", "SI"], 15),
    **dict.fromkeys(["DE", "HR", "HU", "IE", "LU", "NL", "PL", "RO", "SK"], 16),
}


def consent_age_for(country: str) -> int:
    """The age below which a guardian consents, for an ISO 3166 country code."""
    return CONSENT_AGE_BY_COUNTRY.get(country.upper(), DEFAULT_CONSENT_AGE)
