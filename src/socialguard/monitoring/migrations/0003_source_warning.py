from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_stream_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="warning",
            field=models.TextField(blank=True),
        ),
    ]
