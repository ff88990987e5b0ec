"""Cities: the network's member cities (tenants), their regions and settings."""
