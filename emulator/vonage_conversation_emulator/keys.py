"""The application's key pair: loaded from PEM, or made once and kept in a state folder.

The state folder keeps the application id and key pair between runs, so the ``export`` lines a
user pasted once keep working after a restart. It is ``$VONAGE_CONVERSATION_EMULATOR_HOME``,
else ``$XDG_STATE_HOME/vonage-conversation-emulator``, else
``~/.local/state/vonage-conversation-emulator``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

__all__ = [
    "StoredCredentials",
    "default_state_dir",
    "ensure_credentials",
    "generate_private_key_pem",
    "load_public_key",
    "public_key_pem",
    "public_keys",
]

STATE_DIR_ENV = "VONAGE_CONVERSATION_EMULATOR_HOME"


def generate_private_key_pem() -> bytes:
    """A new 2048-bit RSA private key, PKCS#8 PEM (what Vonage's dashboard hands out)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_public_key(pem: bytes) -> RSAPublicKey:
    """The RSA public key in ``pem``, which may hold the public key or the private key.

    Raises ValueError when it holds neither, or a key that is not RSA.
    """
    if b"PRIVATE KEY" in pem:
        key = serialization.load_pem_private_key(pem, password=None).public_key()
    else:
        key = serialization.load_pem_public_key(pem)
    if not isinstance(key, RSAPublicKey):
        raise ValueError("the key is not an RSA key (Vonage JWTs are RS256)")
    return key


def public_key_pem(private_key_pem: bytes) -> bytes:
    """The public half of ``private_key_pem``, SubjectPublicKeyInfo PEM."""
    return load_public_key(private_key_pem).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def default_state_dir() -> Path:
    """Where the emulator keeps the credentials it made (see the module docstring)."""
    if os.environ.get(STATE_DIR_ENV):
        return Path(os.environ[STATE_DIR_ENV])
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "vonage-conversation-emulator"


@dataclass(frozen=True)
class StoredCredentials:
    """An application id and the key pair the emulator made for it."""

    application_id: str
    private_key_path: Path
    public_key: RSAPublicKey


def ensure_credentials(state_dir: Path, application_id: str | None = None) -> StoredCredentials:
    """The credentials kept in ``state_dir``, made on first use.

    ``application_id``, when given, replaces the stored id (the key pair is kept).
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    key_path = state_dir / "private.key"
    id_path = state_dir / "application_id"
    if not key_path.exists():
        # Written with 0600 from the start: a private key must never be world-readable.
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(generate_private_key_pem())
    if application_id is None and id_path.exists():
        application_id = id_path.read_text(encoding="utf-8").strip() or None
    if application_id is None:
        application_id = str(uuid.uuid4())
    id_path.write_text(application_id + "\n", encoding="utf-8")
    return StoredCredentials(
        application_id=application_id,
        private_key_path=key_path.resolve(),
        public_key=load_public_key(key_path.read_bytes()),
    )


def public_keys(
    application_id: str | None,
    public_key: RSAPublicKey | bytes | str | None,
    applications: Mapping[str, RSAPublicKey | bytes | str] | None,
) -> dict[str, RSAPublicKey]:
    """Every application's key object (from a key object, or PEM holding the public or the
    private key) by its id, ``application_id``'s first, then ``applications``'; ValueError
    for a half pair, a duplicate or an empty id, or no application at all."""
    given: list[tuple[str, RSAPublicKey | bytes | str]] = []
    if (application_id is None) != (public_key is None):
        raise ValueError("application_id and public_key go together")
    if application_id is not None and public_key is not None:
        given.append((application_id, public_key))
    given += list((applications or {}).items())
    keys: dict[str, RSAPublicKey] = {}
    for name, key in given:
        if not name:
            raise ValueError("an application id is not empty")
        if name in keys:
            raise ValueError(f"application {name!r} is given twice")
        if isinstance(key, RSAPublicKey):
            keys[name] = key
        else:
            keys[name] = load_public_key(key.encode() if isinstance(key, str) else key)
    if not keys:
        raise ValueError("an emulator serves at least one application")
    return keys
