"""TOTP codes (RFC 6238's own test vectors) and the dataset stamp's reuse rule."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from bench.support import GENERATOR_SOURCES, generator_digest, stamp_matches, totp, write_stamp

# RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode("ascii")


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238_vectors(moment: int, code: str) -> None:
    assert totp(RFC_SECRET, moment, digits=8) == code


def test_totp_six_digits_is_the_tail_of_the_eight() -> None:
    assert totp(RFC_SECRET, 59) == "287082"


def test_totp_accepts_unpadded_lowercase_secrets_with_spaces() -> None:
    spaced = " ".join(RFC_SECRET[i : i + 4] for i in range(0, len(RFC_SECRET), 4)).lower()
    assert totp(spaced.rstrip("="), 59) == "287082"


def test_totp_changes_every_thirty_seconds() -> None:
    assert totp(RFC_SECRET, 60) == totp(RFC_SECRET, 89)
    assert totp(RFC_SECRET, 59) != totp(RFC_SECRET, 60)


WANTED = {"size": "S", "seed": 7, "database": "sqlite:///x.sqlite3"}


def test_stamp_written_then_matches(tmp_path: Path) -> None:
    stamp = tmp_path / "env" / "dataset.json"
    write_stamp(stamp, WANTED, generator_seconds=3.5)
    assert stamp_matches(stamp, WANTED)
    assert json.loads(stamp.read_text())["generator_seconds"] == 3.5


@pytest.mark.parametrize("change", [{"size": "M"}, {"seed": 8}, {"database": "postgres://x"}])
def test_stamp_of_another_dataset_does_not_match(tmp_path: Path, change: dict[str, object]) -> None:
    stamp = tmp_path / "dataset.json"
    write_stamp(stamp, WANTED)
    assert not stamp_matches(stamp, {**WANTED, **change})


def test_missing_or_broken_stamp_never_matches(tmp_path: Path) -> None:
    stamp = tmp_path / "dataset.json"
    assert not stamp_matches(stamp, WANTED)
    stamp.write_text("{not json")
    assert not stamp_matches(stamp, WANTED)
    stamp.write_text("[1, 2]")
    assert not stamp_matches(stamp, WANTED)


def test_loopback_jar_sends_secure_cookies_over_plain_http() -> None:
    import requests

    from bench.support import LoopbackCookieJar

    session = requests.Session()
    session.cookies = LoopbackCookieJar()
    session.cookies.set("sessionid", "abc", domain="127.0.0.1", secure=True)
    prepared = session.prepare_request(requests.Request("GET", "http://127.0.0.1:8000/"))
    assert prepared.headers["Cookie"] == "sessionid=abc"


def test_the_generator_digest_changes_with_its_source(tmp_path: Path) -> None:
    for source in GENERATOR_SOURCES:
        path = tmp_path / source
        if source.endswith(".py"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("# command\n")
        else:
            (path / "inner").mkdir(parents=True)
            (path / "cases.py").write_text("ALPHABET = 'ABC'\n")
            (path / "inner" / "more.py").write_text("X = 1\n")
    before = generator_digest(tmp_path)
    assert generator_digest(tmp_path) == before
    (tmp_path / GENERATOR_SOURCES[1] / "inner" / "more.py").write_text("X = 2\n")
    assert generator_digest(tmp_path) != before


def test_the_real_generator_has_a_digest() -> None:
    root = Path(__file__).resolve().parents[2]
    assert len(generator_digest(root)) == 64
