from oauth2_provider.oauth2_validators import OAuth2Validator


class StaffNumberClaims(OAuth2Validator):
    """The ID token carries the account's username as `preferred_username` (the provider's
    users are named by their 工号, as a campus's are) and its groups as `affiliation`."""

    # Every claim below goes out whatever scopes were asked (this provider has no others).
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return {
            "preferred_username": request.user.username,
            "name": request.user.first_name,
            "affiliation": sorted(request.user.groups.values_list("name", flat=True)),
        }
