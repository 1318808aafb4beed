"""Password hashing (settings.PASSWORD_HASHERS).

Production: Argon2id at the first configuration OWASP's Password Storage Cheat Sheet recommends (46 MiB of memory,
one pass, one lane). A login costs ~60 ms of CPU on a 2-core server instead of ~250–340 ms for PBKDF2 at Django's
1 000 000 iterations, and guessing costs an attacker memory as well as time (a GPU gains far less than against
PBKDF2). Under load the PBKDF2 login was the one answer over the 300 ms goal (bench/load/run.sh). Hashes made
before (pbkdf2_sha256) still verify, and Django re-hashes each one with Argon2id at that person's next login.

Development, the demo and the tests: PBKDF2 at fewer iterations, so a login answers at once there. Such a hash is
still a valid `pbkdf2_sha256` hash: under the production profile Django verifies it (the iteration count is stored
in the hash) and re-hashes it with Argon2id on that first login."""
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=47104 KiB, t=1, p=1 (OWASP). Django's own Argon2 hashes (other parameters) verify too and are
    re-hashed with these at the next login (must_update compares the parameters)."""

    time_cost = 1
    memory_cost = 47_104
    parallelism = 1


class DevelopmentPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 20_000
