"""Statistics shared by every feature that publishes numbers about people (consultation results now, the network
dashboard and the council lottery next): pure functions and tables, importing no feature."""
