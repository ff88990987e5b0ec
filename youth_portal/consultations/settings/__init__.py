"""A city's consultation settings: districts, the smallest group shown in results."""
