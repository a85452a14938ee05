from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qunce.org.models import Campaign
from qunce.org.services import campaign_settings_copied

from .models import CheckinPolicy
from .selectors import open_policies_forget


@receiver([post_save, post_delete], sender=CheckinPolicy)
@receiver([post_save, post_delete], sender=Campaign)
def forget_open_policies(**kwargs):
    # After the commit: cleared before it, a request in between would cache the old row again.
    transaction.on_commit(open_policies_forget)


@receiver(campaign_settings_copied)
def copy_checkin_policy(*, source, campaign, **kwargs):
    """A campaign made from an earlier one asks the same questions in the same window."""
    policy = CheckinPolicy.objects.filter(campaign=source).first()
    if policy is not None:
        policy.pk = None
        policy.campaign = campaign
        policy.save(force_insert=True)
