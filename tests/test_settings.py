"""Configuration from the environment; the production profile passes `check --deploy` with no warnings."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_profile_check_deploy_is_clean():
    env = {
        **os.environ,
        "DJANGO_PROFILE": "production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-check-only",
        "ALLOWED_HOSTS": "servicedesk.example.cn",
        "DEBUG": "false",
        "CACHE_URL": "redis://127.0.0.1:6379/1",  # as deploy/servicedesk.env.example
        "TRUSTED_PROXIES": "127.0.0.1,::1",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_warns_of_a_per_worker_cache_and_an_untrusted_proxy():
    env = {
        **os.environ,
        "DJANGO_PROFILE": "production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-check-only",
        "ALLOWED_HOSTS": "servicedesk.example.cn",
        "CACHE_URL": "locmemcache://",
        "TRUSTED_PROXIES": "",
    }
    out = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert "servicedesk.W001" in out.stdout + out.stderr and "servicedesk.W002" in out.stdout + out.stderr


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start():
    env = {**os.environ, "TRUSTED_PROXIES": "nginx.local"}
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "TRUSTED_PROXIES" in out.stderr and "nginx.local" in out.stderr


def test_production_profile_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_PROFILE="production", ALLOWED_HOSTS="x.cn")
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_defaults_are_chinese_and_shanghai():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]



def _database_settings(**extra) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DATABASE_URL")}
    env.update(extra, DJANGO_SETTINGS_MODULE="servicedesk.settings")
    code = ("import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_server_database_connections_are_kept_a_minute_and_checked_before_reuse():
    # opening a PostgreSQL connection per request costs ~10 ms of CPU; a kept one is checked before reuse
    server = "postgres://u:p@127.0.0.1:5432/x"
    assert _database_settings(DATABASE_URL=server) == ["60", "True"]
    assert _database_settings(DATABASE_URL=server, CONN_MAX_AGE="0") == ["0", "True"]  # behind PgBouncer
    assert _database_settings(DATABASE_URL="sqlite:////tmp/x.sqlite3") == ["0", "False"]  # the embedded demo


def test_media_storage_s3_is_one_setting_and_answers_with_short_lived_signed_urls():
    """MEDIA_STORAGE=s3 (docs/scaling.md): uploads go to a private S3-compatible bucket through django-storages and a
    permitted viewer is redirected to a signed URL of that one file (no network needed to sign)."""
    env = {
        **os.environ, "MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "servicedesk-media", "MEDIA_S3_ENDPOINT_URL": "https://oss.example.cn",
        "MEDIA_S3_ACCESS_KEY_ID": "AKIDEXAMPLE", "MEDIA_S3_SECRET_ACCESS_KEY": "secret", "MEDIA_S3_PREFIX": "prod",
    }
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, settings.MEDIA_SIGNED_REDIRECT, s.default_acl);"
        "print(s.url('work-orders/2026/12/a.jpg'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "servicedesk.settings"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    first, url = out.stdout.splitlines()[:2]
    assert first == "S3Storage True private"
    assert url.startswith("https://oss.example.cn/servicedesk-media/prod/work-orders/2026/12/a.jpg?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url


def test_an_unknown_media_storage_is_refused_at_start():
    env = {**os.environ, "MEDIA_STORAGE": "ftp"}
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "MEDIA_STORAGE must be 'filesystem' or 's3'" in out.stderr
