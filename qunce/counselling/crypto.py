"""Encryption at rest for counselling content (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from COUNSELLING_KEY (a Fernet key; production refuses to start without one).
Outside production it is derived from SECRET_KEY, so a development database is never plain."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet():
    key = settings.COUNSELLING_KEY or base64.urlsafe_b64encode(
        hashlib.sha256(f"counselling:{settings.SECRET_KEY}".encode()).digest()
    )
    return Fernet(key)


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token):
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return "【无法解密：密钥已更换】"


class EncryptedTextField(models.TextField):
    """Text stored encrypted; Python code sees plain text, the database only ciphertext."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value) or "")
