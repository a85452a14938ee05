"""Every page of the Django admin site renders for a superuser: its widgets exist as Django
templates only, so a form renderer set for the whole site (Jinja2, say) would break them."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from qunce.org.tests.factories import PersonFactory, UserFactory, unit_root


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.mark.django_db
def test_every_admin_list_and_add_page_renders(superuser, superuser_client):
    request = RequestFactory().get("/django-admin/")
    request.user = superuser
    opened = 0
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [f"{prefix}_changelist"]
        if model_admin.has_add_permission(request):
            pages.append(f"{prefix}_add")
        for name in pages:
            response = superuser_client.get(reverse(name))
            assert response.status_code == 200, (name, response.status_code)
            opened += 1
    assert opened > 20


@pytest.mark.django_db
def test_a_person_change_page_renders_with_its_related_widgets(superuser_client):
    person = PersonFactory(unit=unit_root(name="某某大学"))
    response = superuser_client.get(reverse("admin:org_person_change", args=[person.pk]))
    assert response.status_code == 200
    assert person.name in response.content.decode()
