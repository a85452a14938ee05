from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("cas/login/", views.CASLoginView.as_view(), name="cas_login"),
    path("oidc/login/", views.oidc_login, name="oidc_login"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("sign-in-methods/", views.sign_in_methods, name="sign_in_methods"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/codes/", views.recovery_codes, name="recovery_codes"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("people/<int:pk>/account/", views.person_account_create, name="person_account_create"),
    path(
        "people/<int:pk>/initial-password/",
        views.person_initial_password,
        name="person_initial_password",
    ),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
