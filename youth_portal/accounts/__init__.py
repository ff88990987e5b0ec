"""Accounts: registration, sign-in, sessions and the person's own account pages."""
