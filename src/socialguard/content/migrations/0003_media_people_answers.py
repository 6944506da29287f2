from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("content", "0002_archive_search")]

    operations = [
        migrations.AddField(
            model_name="draftmedia",
            name="shown_answer",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="draftmedia",
            name="faces_found",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
