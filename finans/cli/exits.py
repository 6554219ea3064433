"""The exit statuses every command shares."""

EXIT_REFUSED = 1
"""The command was refused (the database is not set up, a record does not exist, …)."""

EXIT_INVALID = 2
"""The input has problems; each is printed as ``where: message``."""
