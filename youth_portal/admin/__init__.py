"""Administration: network admins create cities and appoint city admins; city admins grant roles."""
