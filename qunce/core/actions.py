from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def one_button(request, action, *, done="", to, **url_kwargs):
    """A one-button POST (sign, publish, verify…): run the service call; its refusal becomes an
    error message on the page it returns to (`to` and `url_kwargs`, as for redirect)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, done)
    return redirect(to, **url_kwargs)
