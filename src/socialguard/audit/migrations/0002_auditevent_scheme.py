from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        # Events written before this migration were sealed with the unkeyed scheme (chain.LEGACY).
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
    ]
