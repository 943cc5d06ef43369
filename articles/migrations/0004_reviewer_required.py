import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_reviewer_from_reviewed_by")]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="reviewer",
            field=models.ForeignKey(
                help_text="The clinician who checked this article. Add clinicians under Clinic details > Clinicians.",
                limit_choices_to={"reviews_content": True},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reviewed_articles",
                to="practice.clinician",
            ),
        ),
        migrations.RemoveField(model_name="article", name="reviewed_by"),
        migrations.RemoveField(model_name="historicalarticle", name="reviewed_by"),
    ]
