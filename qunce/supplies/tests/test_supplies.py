from datetime import date

import pytest

from qunce.conftest import client_for
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign
from qunce.supplies import selectors, services
from qunce.supplies.models import StockMovement, SupplyNeed

FUTURE = date(2099, 1, 1)


@pytest.fixture
def need(world):
    Campaign.objects.create(name="行动", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE)
    return services.need_post(
        acting_user=world.users.unit_admin_a,
        receiving_unit=world.unit_a,
        item="医用口罩",
        specification="一次性，独立包装",
        quantity=100,
        unit_of_measure="piece",
        needed_by=FUTURE,
    )


def _pledge(need, **overrides):
    values = {
        "donor_name": "校友企业",
        "donor_contact": "13800000000",
        "quantity": 60,
        "expected_on": FUTURE,
        "named_publicly": True,
    }
    values.update(overrides)
    return services.pledge_record(need=need, **values)


def test_a_need_is_fulfilled_when_what_was_received_covers_it(world, need):
    first, second = _pledge(need), _pledge(need, donor_name="爱心人士", quantity=40)
    services.receipt_record(pledge=first, quantity=60, acting_user=world.users.unit_admin_a)
    need.refresh_from_db()
    assert need.status == SupplyNeed.Status.OPEN
    services.receipt_record(pledge=second, quantity=40, acting_user=world.users.unit_admin_a)
    need.refresh_from_db()
    assert need.status == SupplyNeed.Status.FULFILLED
    assert selectors.totals(need) == {"pledged": 100, "received": 100, "dispatched": 0}


def test_receiving_more_than_pledged_needs_a_reason(world, need):
    pledge = _pledge(need, quantity=10)
    with pytest.raises(Exception, match="超过认捐数量"):
        services.receipt_record(pledge=pledge, quantity=12, acting_user=world.users.unit_admin_a)
    assert not StockMovement.objects.exists()
    services.receipt_record(
        pledge=pledge, quantity=12, acting_user=world.users.unit_admin_a, note="捐赠方多送了 2 个"
    )
    assert StockMovement.objects.get().quantity == 12


@pytest.mark.parametrize("quantity", [-5, 0, "2.5"])
def test_negative_zero_or_fractional_counts_are_refused(world, need, quantity):
    with pytest.raises(Exception, match="数量"):
        _pledge(need, quantity=quantity)


def test_fractional_quantities_are_fine_for_measured_units(world, need):
    liquid = services.need_post(
        acting_user=world.users.unit_admin_a,
        receiving_unit=world.unit_a,
        item="消毒液",
        quantity="12.5",
        unit_of_measure="litre",
        needed_by=FUTURE,
    )
    assert _pledge(liquid, quantity="2.5").quantity == 2.5


def test_nothing_is_dispatched_beyond_stock(world, need):
    services.receipt_record(pledge=_pledge(need), quantity=60, acting_user=world.users.unit_admin_a)
    services.dispatch_record(
        need=need, quantity=50, destination="发热门诊", acting_user=world.users.unit_admin_a
    )
    with pytest.raises(Exception, match="超过库存"):
        services.dispatch_record(
            need=need, quantity=11, destination="隔离点", acting_user=world.users.unit_admin_a
        )


def test_only_the_receiving_units_admins_book_stock(world, need):
    pledge = _pledge(need)
    with pytest.raises(Exception, match="接收单位"):
        services.receipt_record(pledge=pledge, quantity=1, acting_user=world.users.unit_admin_b)


def test_a_supplier_without_contact_is_refused(world):
    with pytest.raises(Exception, match="联系人"):
        services.supplier_add(
            acting_user=world.users.talent, name="某公司", contact=" ", items="口罩"
        )


def test_nobody_verifies_a_supplier_they_registered(world):
    supplier = services.supplier_add(
        acting_user=world.users.unit_admin_a,
        name="某医疗器械公司",
        contact="张经理 13800000000",
        items="口罩",
    )
    admin = client_for(world, "unit_admin_a")
    assert (
        f"/supplies/suppliers/{supplier.pk}/verify/"
        not in admin.get("/supplies/suppliers/").content.decode()
    )
    page = admin.post(f"/supplies/suppliers/{supplier.pk}/verify/", follow=True).content.decode()
    assert "不能核实本人登记的供应渠道" in page
    supplier.refresh_from_db()
    assert supplier.verified_at is None
    services.supplier_verify(supplier=supplier, acting_user=world.users.org_admin)
    supplier.refresh_from_db()
    assert supplier.verified_by == world.users.org_admin


def test_an_internal_donation_and_a_confirmed_purchase_reach_the_ledger(world, need):
    services.receipt_record(
        pledge=_pledge(need, donor_person=world.users.talent.person, quantity=30),
        quantity=30,
        acting_user=world.users.unit_admin_a,
    )
    donation = LedgerEntry.objects.get()
    assert donation.role == "caring" and donation.items_donated == 30
    help_ = services.procurement_take(need=need, acting_user=world.users.talent)
    services.procurement_report(
        help_=help_, acting_user=world.users.talent, text="已联系厂家，明天发货"
    )
    with pytest.raises(Exception, match="接收单位"):
        services.procurement_confirm(help_=help_, acting_user=world.users.talent)
    services.procurement_confirm(help_=help_, acting_user=world.users.unit_admin_a)
    assert LedgerEntry.objects.filter(summary__startswith="协助采购").exists()


def test_a_donation_of_ten_reads_ten_in_the_ledger_not_1e1(world, need):
    services.receipt_record(
        pledge=_pledge(need, donor_person=world.users.talent.person, quantity=10),
        quantity=10,
        acting_user=world.users.unit_admin_a,
    )
    summary = LedgerEntry.objects.get().summary
    assert "10" in summary and "E+" not in summary


def test_quantities_read_as_written():
    from decimal import Decimal

    assert services.quantity_text(Decimal("10.00")) == "10"
    assert services.quantity_text(Decimal("2.50")) == "2.5"
    assert services.quantity_text(Decimal("1200")) == "1200"


def test_a_donor_outside_pledges_without_an_account_and_is_thanked_by_choice(world, need):
    client = client_for(world, "anonymous")
    response = client.post(
        f"/donate/{need.pk}/",
        {
            "donor_name": "鞍山某超市",
            "donor_contact": "0412-1234567",
            "quantity": "20",
            "expected_on": "2099-01-01",
            "named_publicly": "on",
        },
    )
    assert "谢谢您的爱心" in response.content.decode()
    _pledge(need, donor_name="不愿具名者", named_publicly=False)
    for pledge in need.pledges.all():
        services.receipt_record(
            pledge=pledge, quantity=pledge.quantity, acting_user=world.users.unit_admin_a
        )
    thanks = client.get("/thanks/").content.decode()
    assert "鞍山某超市" in thanks and "不愿具名者" not in thanks


def test_the_certificate_is_for_the_unit_and_the_donor(world, need):
    movement = services.receipt_record(
        pledge=_pledge(need, donor_person=world.users.talent.person),
        quantity=60,
        acting_user=world.users.unit_admin_a,
    )
    page = (
        client_for(world, "talent").get(f"/supplies/certificates/{movement.pk}/").content.decode()
    )
    assert "捐 赠 证 书" in page and "医用口罩" in page
    assert (
        client_for(world, "unit_admin_b").get(f"/supplies/certificates/{movement.pk}/").status_code
        == 404
    )


def test_a_need_in_the_past_or_for_another_unit_is_refused(world, need):
    with pytest.raises(Exception, match="不能早于今天"):
        services.need_post(
            acting_user=world.users.unit_admin_a,
            receiving_unit=world.unit_a,
            item="x",
            quantity=1,
            unit_of_measure="piece",
            needed_by=date(2020, 1, 1),
        )
    with pytest.raises(Exception, match="只能为本单位"):
        services.need_post(
            acting_user=world.users.unit_admin_a,
            receiving_unit=world.unit_b,
            item="x",
            quantity=1,
            unit_of_measure="piece",
            needed_by=FUTURE,
        )


def test_bad_help_ids_and_past_delivery_dates_get_messages_not_500s(world, need):
    client = client_for(world, "unit_admin_a")
    response = client.post(f"/supplies/{need.pk}/", {"action": "confirm_help", "help": "abc"})
    assert response.status_code == 200
    with pytest.raises(Exception, match="预计送达日期"):
        _pledge(need, expected_on=date(2000, 1, 1))


def test_staff_pledging_while_signed_in_are_inside_donors(world, need):
    client_for(world, "talent").post(
        f"/donate/{need.pk}/",
        {
            "donor_name": "李冶钢",
            "donor_contact": "13900000000",
            "quantity": "5",
            "expected_on": "2099-01-01",
        },
    )
    pledge = need.pledges.get()
    assert pledge.donor_person == world.users.talent.person
