"""Accounts and the registration of Qunce on a test identity server (after its migrate)."""

import json
import sys

import django


def main(kind, setup):
    django.setup()
    from django.contrib.auth.models import Group, User

    for username in setup["usernames"]:
        User.objects.create_user(username=username, password=setup["password"])
    # The campus's counselling centre keeps its staff as a group (the second account is one).
    counsellors = Group.objects.create(name="心理中心")
    if len(setup["usernames"]) > 1:
        counsellors.user_set.add(User.objects.get(username=setup["usernames"][1]))
    if kind == "cas":
        from cas_server.models import ServicePattern

        # Any loopback service (Qunce's live server and Django's test client), with single
        # logout: the server posts a logout request to the service when its user signs out.
        ServicePattern.objects.create(
            pos=1,
            name="qunce",
            pattern=r"^http://(127\.0\.0\.1|localhost|testserver)(:\d+)?/",
            single_log_out=True,
        )
    else:
        from oauth2_provider.models import Application

        Application.objects.create(
            name="qunce",
            client_id=setup["client_id"],
            client_secret=setup["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(setup["redirect_uris"]),
            post_logout_redirect_uris=" ".join(
                uri.replace("/oidc/callback/", "/login/") for uri in setup["redirect_uris"]
            ),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
