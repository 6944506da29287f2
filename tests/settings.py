"""Test settings: the product's settings with a cheaper Argon2 (still Argon2) and plain static files."""

from socialguard.settings import *  # noqa: F403
from socialguard.settings import STORAGES

PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
