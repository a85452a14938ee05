from qunce.counselling import services


def counselling_asked(requester, **overrides):
    """A named request by message, agreed to the first notice: (case, status token)."""
    values = {
        "requester": requester,
        "anonymous": False,
        "category": "mood",
        "channel": "anonymous_message",
        "time_window": "晚上",
        "description": "睡不着",
        "consent_version": 1,
        **overrides,
    }
    return services.counselling_request(**values)
