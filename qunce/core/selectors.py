from .models import InboxMessage


def inbox_of(user):
    return InboxMessage.objects.filter(recipient=user)


def unread_count(user):
    return inbox_of(user).filter(read_at__isnull=True).count() if user.is_authenticated else 0
