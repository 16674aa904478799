"""The password of every fixture user (``world``), for tests and their helpers.

Its own module: ``conftest`` is ambiguous as an import name (several directories have
one). It must pass the password rules: not a common password, not containing a username.
"""

PASSWORD = "tea-horse-road-58"
