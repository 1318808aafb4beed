"""Password hashing of the development/demo profile (settings.PASSWORD_HASHERS; production keeps Django's list).

Logging in took 1.0–1.8 s on a shared demo machine: PBKDF2 at Django's 1 000 000 iterations is the whole cost.
The development profile uses the same algorithm at fewer iterations, so a login answers at once there and in
the tests. A hash made this way is still a valid `pbkdf2_sha256` hash: under the production profile Django
verifies it (the iteration count is stored in the hash) and re-hashes it at the full count on that first login."""
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class DevelopmentPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 20_000
