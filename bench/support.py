"""Small pure helpers of the web benchmark: TOTP codes (RFC 6238) for signing in through
the real second-factor page, and the dataset stamp that decides whether a dataset can be
reused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import time
from collections.abc import Mapping
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any

from requests.cookies import RequestsCookieJar


def hotp(key: bytes, counter: int, digits: int = 6, digest: str = "sha1") -> str:
    """RFC 4226: HMAC of the big-endian counter, dynamically truncated."""
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp(
    secret_base32: str,
    at: float | None = None,
    *,
    period: int = 30,
    digits: int = 6,
    digest: str = "sha1",
) -> str:
    """RFC 6238 code for a base32 secret (as authenticator apps and allauth store it)."""
    secret = secret_base32.strip().replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    moment = time.time() if at is None else at
    return hotp(key, int(moment // period), digits, digest)


# The code that decides what a generated dataset holds; a change to it makes the
# datasets made before it stale (the reference alphabet was such a change).
GENERATOR_SOURCES = (
    "amends/core/management/commands/generate_data.py",
    "amends/core/management/datagen",
)


def generator_digest(root: Path) -> str:
    """A sha256 over the generator's source files under `root` (paths and contents), so
    a dataset stamp can say which generator made the data."""
    digest = hashlib.sha256()
    for source in GENERATOR_SOURCES:
        path = root / source
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_matches(stamp_path: Path, wanted: Mapping[str, Any]) -> bool:
    """Whether the dataset stamp records exactly `wanted` (size, seed, database). A
    missing or unreadable stamp never matches: the dataset is then made again."""
    try:
        recorded = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and all(recorded.get(k) == v for k, v in wanted.items())


def write_stamp(stamp_path: Path, wanted: Mapping[str, Any], **extra: Any) -> None:
    stamp_path.parent.mkdir(parents=True, exist_ok=True)
    stamp_path.write_text(json.dumps({**wanted, **extra}, indent=2) + "\n", encoding="utf-8")


class LoopbackCookieJar(RequestsCookieJar):
    """A cookie jar for clients of the benchmark's gunicorn. Production marks cookies
    Secure; TLS ends at the (pretend) proxy, so the loopback is plain HTTP and the jar
    keeps them usable there, as a browser does for the HTTPS site it sees."""

    def set_cookie(self, cookie: Cookie, *args: Any, **kwargs: Any) -> None:
        cookie.secure = False
        super().set_cookie(cookie, *args, **kwargs)
