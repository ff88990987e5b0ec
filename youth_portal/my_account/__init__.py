"""My account: the person's own settings, data download and deletion."""
