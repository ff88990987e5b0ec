"""Staff write consultations and move them through their life cycle: list, create, edit, cover, preview."""
