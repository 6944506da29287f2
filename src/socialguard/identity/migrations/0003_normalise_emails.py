"""Store every sign-in address in its one normalised spelling (stripped, lower case).

Sign-in now matches addresses exactly, so one written with capitals before this release would
otherwise stop working.
"""

from typing import Any

from django.db import migrations


def normalise(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("identity", "User")
    taken = {email.strip().lower() for email in User.objects.values_list("email", flat=True)}
    if len(taken) < User.objects.count():
        raise RuntimeError(
            "two sign-ins have the same email address apart from capitals or spaces; "
            "change one of them (socialguard manage shell) and migrate again"
        )
    for user in User.objects.all():
        normal = user.email.strip().lower()
        if user.email != normal:
            User.objects.filter(pk=user.pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [("identity", "0002_alter_roleassignment_role")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
