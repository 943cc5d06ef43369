"""Put right what the old re-signup behaviour did to unsubscribed addresses.

Before this, signing up an unsubscribed address set it back to pending (keeping unsubscribed_at),
and unsubscribing left the confirmation key alone. Now an unsubscribe stands until its owner
confirms from a new email, and the confirm page accepts a matching link for unsubscribed readers.
So: give every unsubscribed reader a new key (links from before they left must not bring them
back), then mark unsubscribed again those the old code reset to pending, keeping their key (the
email sent after they left is the owner's way back). Otherwise purge_pending_subscribers would
delete these do-not-email records.
"""

import secrets

from django.db import migrations


def keep_unsubscribes(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    for subscriber in Subscriber.objects.filter(status="unsubscribed").only("pk"):
        Subscriber.objects.filter(pk=subscriber.pk).update(token_key=secrets.token_urlsafe(12))
    Subscriber.objects.filter(status="pending", unsubscribed_at__isnull=False).update(status="unsubscribed")


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(keep_unsubscribes, migrations.RunPython.noop),
    ]
