"""Supply drives in the demo university: needs at every stage, donors inside and outside."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qunce.org import selectors as org_selectors
from qunce.org.demo import METALLURGY_CODE, PARTY_OFFICE_CODE
from qunce.org.models import Person, Unit

from . import selectors, services

NEEDS = [
    # unit code, item, specification, quantity, unit, donors [(name, internal staff?, quantity, public)]
    (
        PARTY_OFFICE_CODE,
        "医用外科口罩",
        "一次性，独立包装，符合 YY 0469",
        5000,
        "piece",
        [("鞍钢集团某分公司", False, 3000, True), ("2003 级冶金校友会", False, 2000, True)],
    ),
    (
        PARTY_OFFICE_CODE,
        "84 消毒液",
        "500 毫升装",
        200,
        "bottle",
        [("鞍山某超市", False, 120, True), ("匿名爱心人士", False, 50, False)],
    ),
    (
        METALLURGY_CODE,
        "红外额温枪",
        "测温范围 32–42.9 °C",
        30,
        "device",
        [("staff", True, 10, True)],
    ),
    (METALLURGY_CODE, "医用酒精", "75%，5 升装", 40, "litre", []),
]
SUPPLIERS = [
    (
        "辽宁某医疗器械有限公司",
        "王经理 0412-5550001",
        "口罩、防护服、护目镜",
        "口罩 0.8 元/个",
        "日产 5 万个",
    ),
    ("鞍山某化工有限公司", "李工 0412-5550002", "84 消毒液、75% 酒精", "按批报价", "每周 2 吨"),
    ("沈阳某电子科技公司", "张经理 024-5550003", "红外额温枪", "120 元/台", "现货 300 台"),
]


@transaction.atomic
def build_demo_supplies():
    today = timezone.localdate()
    talent = Person.objects.select_related("user").get(user__username="talent")
    for code, item, spec, quantity, unit, donors in NEEDS:
        receiving = Unit.objects.get(code=code)
        admin = (
            org_selectors.unit_admins_of(receiving)[0]
            if org_selectors.unit_admins_of(receiving)
            else None
        )
        need = services.need_post(
            acting_user=admin,
            receiving_unit=receiving,
            item=item,
            specification=spec,
            quantity=quantity,
            unit_of_measure=unit,
            needed_by=today + timedelta(days=10),
        )
        for name, internal, amount, public in donors:
            donor = talent if internal else None
            pledge = services.pledge_record(
                need=need,
                donor_name=donor.name if donor else name,
                donor_contact="139****0000",
                donor_person=donor,
                quantity=amount,
                expected_on=today + timedelta(days=3),
                named_publicly=public,
            )
            services.receipt_record(pledge=pledge, quantity=amount, acting_user=admin)
        received = selectors.totals(need)["received"]
        if received:
            services.dispatch_record(
                need=need,
                quantity=min(received, 20),
                destination="校医院发热门诊",
                acting_user=admin,
            )
    alcohol = need
    help_ = services.procurement_take(need=alcohol, acting_user=talent.user)
    services.procurement_report(
        help_=help_, acting_user=talent.user, text="已联系鞍山某化工公司，报价待确认"
    )
    for name, contact, items, price, capacity in SUPPLIERS:
        supplier = services.supplier_add(
            acting_user=talent.user,
            name=name,
            contact=contact,
            items=items,
            price=price,
            capacity=capacity,
        )
    services.supplier_verify(supplier=supplier, acting_user=admin)
    return {"supply_needs": len(NEEDS)}
