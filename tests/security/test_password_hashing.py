"""Password hashing in production (servicedesk/hashers.py): Argon2id at OWASP's parameters, and a password stored
by the older PBKDF2 hasher still signs in and is re-hashed with Argon2id on that login."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher
from django.test import Client, override_settings

from servicedesk.choices import Role
from tests.factories import staff_with

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Kq7#vT2m!pLx"
PRODUCTION_HASHERS = [
    "servicedesk.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def test_the_production_profile_hashes_with_argon2id_and_still_reads_pbkdf2():
    env = {**os.environ, "DJANGO_PROFILE": "production", "SECRET_KEY": "y" * 60, "ALLOWED_HOSTS": "servicedesk.example.cn"}
    code = (
        "from django.conf import settings; from django.contrib.auth.hashers import make_password; "
        "print(settings.PASSWORD_HASHERS); print(make_password('x').rsplit('$', 2)[0])"
    )
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    hashers, prefix = out.stdout.strip().splitlines()[-2:]
    assert hashers == repr(PRODUCTION_HASHERS), out.stdout + out.stderr
    assert prefix == "argon2$argon2id$v=19$m=47104,t=1,p=1"


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_password_signs_in_and_is_rehashed_with_argon2id():
    staff = staff_with(Role.COORDINATOR, name="陈协调")
    old = PBKDF2PasswordHasher().encode(PASSWORD, "a-fixed-salt-1234")  # Django's 1 000 000 iterations
    type(staff.user).objects.filter(pk=staff.user_id).update(password=old)

    r = Client().post("/accounts/login/", {"username": staff.user.username, "password": PASSWORD})

    assert r.status_code == 302 and r["Location"] == "/"
    staff.user.refresh_from_db()
    assert staff.user.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert identify_hasher(staff.user.password).algorithm == "argon2"
    assert check_password(PASSWORD, staff.user.password) and not check_password("wrong", staff.user.password)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_wrong_password_leaves_the_old_hash_alone():
    staff = staff_with(Role.COORDINATOR, name="陈协调")
    old = PBKDF2PasswordHasher().encode(PASSWORD, "a-fixed-salt-1234")
    type(staff.user).objects.filter(pk=staff.user_id).update(password=old)

    r = Client().post("/accounts/login/", {"username": staff.user.username, "password": "not-it"})

    assert r.status_code == 200
    staff.user.refresh_from_db()
    assert staff.user.password == old
