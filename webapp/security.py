"""Password hashing (Argon2id), signed links and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

MIN_PASSWORD_LENGTH = 12

# argon2-cffi's PasswordHasher is Argon2id. Tests use the cheapest parameters to stay fast.
_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
_TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    if current_app and current_app.config.get("ARGON2_TEST_PARAMETERS"):
        return _TEST_HASHER
    return _HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Same cost as a real check, so a missing account cannot be told by timing.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def new_nonce() -> str:
    return secrets.token_hex(16)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"aftalehjul-{purpose}")


def make_link_token(purpose: str, user_id: int, nonce: str) -> str:
    """A signed token bound to the person's current nonce: it dies when the password is set."""
    return _serializer(purpose).dumps({"u": user_id, "n": nonce})


def read_link_token(purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, expired or malformed."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or "u" not in data or "n" not in data:
        return None
    return data


def new_api_token() -> tuple[str, str]:
    """(token shown once, its SHA-256 stored)."""
    token = "ah_" + secrets.token_urlsafe(32)
    return token, hash_api_token(token)


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
