"""The typed environment readers fail loudly instead of guessing."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from amends.core.env import env_bool, env_int, env_list, env_secret, generated_secret


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("AMENDS_FLAG", raw)
    assert env_bool("AMENDS_FLAG") is expected


def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("AMENDS_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="AMENDS_FLAG"):
        env_bool("AMENDS_FLAG")


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("AMENDS_FLAG", raising=False)
    assert env_bool("AMENDS_FLAG", True) is True


def test_env_int_refuses_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("AMENDS_NUMBER", "thirty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("AMENDS_NUMBER", 1)
    monkeypatch.setenv("AMENDS_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("AMENDS_NUMBER", 5, minimum=1)
    monkeypatch.setenv("AMENDS_NUMBER", " 42 ")
    assert env_int("AMENDS_NUMBER", 5, minimum=1) == 42


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("AMENDS_HOSTS", "a.example, ,b.example,")
    assert env_list("AMENDS_HOSTS") == ["a.example", "b.example"]


def test_env_secret_reads_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    monkeypatch.delenv("AMENDS_TOKEN", raising=False)
    monkeypatch.setenv("AMENDS_TOKEN_FILE", str(secret_file))
    assert env_secret("AMENDS_TOKEN") == "from-a-file"


def test_env_secret_refuses_both_forms_an_empty_value_and_an_unreadable_file(monkeypatch, tmp_path):
    monkeypatch.setenv("AMENDS_TOKEN", "x")
    monkeypatch.setenv("AMENDS_TOKEN_FILE", str(tmp_path / "secret"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("AMENDS_TOKEN")
    monkeypatch.delenv("AMENDS_TOKEN")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_secret("AMENDS_TOKEN")
    (tmp_path / "secret").write_text("  \n")
    with pytest.raises(ImproperlyConfigured, match="empty"):
        env_secret("AMENDS_TOKEN")
    monkeypatch.delenv("AMENDS_TOKEN_FILE")
    monkeypatch.setenv("AMENDS_TOKEN", "   ")
    with pytest.raises(ImproperlyConfigured, match="empty"):
        env_secret("AMENDS_TOKEN")


def test_generated_secret_is_created_once_with_owner_only_permissions(tmp_path):
    path = tmp_path / "var" / "key"
    first = generated_secret(path, lambda: "generated-value")
    second = generated_secret(path, lambda: "another-value")
    assert first == second == "generated-value"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["key"]


def test_client_address_believes_forwarded_for_only_behind_the_configured_proxies(rf, settings):
    from amends.core.middleware import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5", "the address our one proxy saw"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2", "too few hops: nothing in the header is trusted"


def test_allauth_rate_limits_see_the_same_address_as_the_lockout_and_the_log(rf, settings):
    from allauth.account.adapter import get_adapter

    from amends.core.middleware import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_adapter(request).get_client_ip(request) == client_address(request) == "203.0.113.5"
