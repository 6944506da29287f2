"""Give sign-ins created on the web before this release a random password nobody knows.

They had Django's "unusable" password, for which "Forgotten password" sends nothing, so the
person could never choose one. A random password keeps them as locked as before until they do.
"""

import secrets
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import migrations


def make_usable(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("identity", "User")
    for user in User.objects.filter(password__startswith=UNUSABLE_PASSWORD_PREFIX):
        User.objects.filter(pk=user.pk).update(password=make_password(secrets.token_urlsafe(32)))


class Migration(migrations.Migration):
    dependencies = [("identity", "0003_normalise_emails")]

    operations = [migrations.RunPython(make_usable, migrations.RunPython.noop)]
