"""A running campaign with a week of check-ins, a verified ledger entry and a resolved help
request, for the report tests."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qunce.assistance import services as assistance_services
from qunce.assistance.models import HelpRequest
from qunce.assistance.tests.conftest import request_values
from qunce.health.models import Checkin, CheckinPolicy
from qunce.ledger import services as ledger_services
from qunce.org.models import Campaign, Person
from qunce.reports import selectors

TODAY = timezone.localdate


@pytest.fixture
def running(world):
    """A campaign with a week of check-ins: everyone in A every day, nobody in B; one verified
    technician entry and one resolved request for the talent (in A's first branch)."""
    campaign = Campaign.objects.create(
        name="测试行动", starts_on=TODAY() - timedelta(days=30), status=Campaign.Status.ACTIVE
    )
    CheckinPolicy.objects.create(campaign=campaign)
    week = [TODAY() - timedelta(days=back) for back in range(7)]
    Checkin.objects.bulk_create(
        Checkin(campaign=campaign, person=person, unit=person.unit, day=day)
        for person in Person.objects.filter(unit__path__startswith=world.unit_a.path)
        for day in week
    )
    talent = world.users.talent
    claim = ledger_services.claim_submit(
        person=talent.person,
        acting_user=talent,
        files=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
        role="technician",
        campaign=campaign,
        date_from=TODAY() - timedelta(days=2),
        date_to=TODAY() - timedelta(days=2),
        summary="远程指导企业复产",
    )
    ledger_services.claim_verify(claim=claim, acting_user=world.users.unit_admin_a)
    help_request, _token = assistance_services.help_request_submit(**request_values())
    HelpRequest.objects.filter(pk=help_request.pk).update(
        campaign=campaign,
        status=HelpRequest.Status.RESOLVED,
        expert=talent.person,
        resolved_at=timezone.now() - timedelta(days=1),
    )
    return campaign


def report_over(world, campaign, scope=None, days=7):
    return selectors.unit_report(
        scope=scope or world.root,
        campaign=campaign,
        date_from=TODAY() - timedelta(days=days - 1),
        date_to=TODAY(),
    )
