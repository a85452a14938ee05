"""Reads of accounts."""

from .models import LinkedIdentity


def identities_of(user):
    """The campus identities that sign in as `user`: each person sees only their own."""
    return LinkedIdentity.objects.filter(user=user).order_by("linked_at")
