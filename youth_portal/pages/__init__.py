"""Pages for everyone: privacy notice, terms, language switcher."""
