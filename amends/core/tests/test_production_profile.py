"""The production profile refuses to start without explicit secrets or with DEBUG, and
passes `check --deploy` when configured."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
SETUP = "import django; django.setup(); print('started')"


def _environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AMENDS_", "DATABASE_URL"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "amends.settings",
        "AMENDS_VAR_DIR": str(tmp_path / "var"),
        **overrides,
    }


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    settings = {
        "AMENDS_ENV": "production",
        "AMENDS_SECRET_KEY": secrets.token_urlsafe(50),
        "AMENDS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "AMENDS_BLIND_INDEX_KEY": secrets.token_urlsafe(50),
        "AMENDS_ALLOWED_HOSTS": "amends.example.org",
        "AMENDS_EMAIL_HOST": "smtp.example.org",
        "AMENDS_SITE_URL": "https://amends.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/production.sqlite3",
    }
    return _environment(tmp_path, **{**settings, **overrides})


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "missing",
    [
        "AMENDS_SECRET_KEY",
        "AMENDS_ENCRYPTION_KEYS",
        "AMENDS_BLIND_INDEX_KEY",
        "AMENDS_ALLOWED_HOSTS",
        "AMENDS_EMAIL_HOST",
    ],
)
def test_production_refuses_to_start_without_each_explicit_setting(tmp_path, missing):
    env = _production(tmp_path)
    del env[missing]
    result = _run(["-c", SETUP], env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists(), "nothing may be generated in production"


def test_production_refuses_debug(tmp_path):
    result = _run(["-c", SETUP], _production(tmp_path, AMENDS_DEBUG="1"))
    assert result.returncode != 0
    assert "AMENDS_DEBUG must be off" in result.stderr


def test_production_with_its_settings_passes_check_deploy(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_generates_its_secrets_into_var_with_owner_only_access(tmp_path):
    result = _run(["-c", SETUP], _environment(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("secret_key", "encryption_keys", "blind_index_key"):
        path = tmp_path / "var" / name
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.read_text().strip()


def test_a_bad_value_stops_the_process_naming_the_variable(tmp_path):
    result = _run(["-c", SETUP], _environment(tmp_path, AMENDS_SESSION_IDLE_MINUTES="half an hour"))
    assert result.returncode != 0
    assert "AMENDS_SESSION_IDLE_MINUTES" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AMENDS_SECRET_KEY", "short", "at least 50 characters"),
        ("AMENDS_BLIND_INDEX_KEY", "short", "at least 32 characters"),
        ("AMENDS_ENCRYPTION_KEYS", "not-a-fernet-key", "key 1 is not a Fernet key"),
        ("AMENDS_SITE_URL", "http://amends.example.org", "https://"),
        ("AMENDS_BEHIND_PROXY", "1", "AMENDS_TRUSTED_PROXY_COUNT"),
    ],
)
def test_production_refuses_weak_or_unsafe_settings(tmp_path, variable, value, message):
    result = _run(["-c", SETUP], _production(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert message in result.stderr


def test_production_behind_a_proxy_with_its_count_starts(tmp_path):
    env = _production(tmp_path, AMENDS_BEHIND_PROXY="1", AMENDS_TRUSTED_PROXY_COUNT="1")
    result = _run(["-c", SETUP], env)
    assert result.returncode == 0, result.stderr


def test_demo_mode_runs_jobs_at_once_and_prints_e_mail_while_a_real_install_queues(tmp_path):
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TASKS['default']['BACKEND'], settings.MAILERS['default']['BACKEND'])"
    )
    demo = _run(["-c", show], _environment(tmp_path, AMENDS_DEMO="1"))
    real = _run(["-c", show], _environment(tmp_path))
    assert demo.stdout.split() == [
        "django.tasks.backends.immediate.ImmediateBackend",
        "amends.core.mail.ReadableConsoleBackend",
    ]
    assert real.stdout.split()[0] == "django_tasks_db.DatabaseBackend"
