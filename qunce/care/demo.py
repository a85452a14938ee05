"""Family needs of frontline people in the demo university, at every stage."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qunce.ledger.models import FrontlineService
from qunce.org import selectors as org_selectors

from . import services
from .models import FamilyNeed

NEEDS = [
    (
        FamilyNeed.Category.CHILDCARE,
        "夫妻二人都在一线，8 岁孩子居家上网课无人照看，需要协调临时看护。",
        "resolved",
    ),
    (
        FamilyNeed.Category.ELDER_CARE,
        "老母亲独居于铁西区，患高血压，需要每周送药上门。",
        "in_progress",
    ),
    (FamilyNeed.Category.MEDICAL, "爱人孕晚期，需协调定点医院产检绿色通道。", "stalled"),
    (FamilyNeed.Category.DAILY_SUPPLIES, "小区封闭管理，家中蔬菜和米面不足，需代购配送。", "open"),
    (FamilyNeed.Category.OTHER, "孩子今年中考，希望了解返校安排和学习资料获取方式。", "open"),
    (FamilyNeed.Category.CHILDCARE, "孩子幼儿园停课，需要寒假托管信息。", "resolved"),
]


@transaction.atomic
def build_demo_family_needs():
    services_ = FrontlineService.objects.select_related("person__unit").order_by("pk")[: len(NEEDS)]
    now = timezone.now()
    for service, (category, description, stage) in zip(services_, NEEDS, strict=False):
        person = service.person
        admin = org_selectors.unit_admins_of(person.unit)[0]
        need = services.family_need_record(
            person=person, category=category, description=description, acting_user=admin
        )
        if stage == "open":
            continue
        services.family_need_take(need=need, acting_user=admin)
        services.family_need_note(need=need, acting_user=admin, text="已联系家属，正在协调。")
        if stage == "resolved":
            services.family_need_note(
                need=need, acting_user=admin, text="已安排妥当，家属表示满意。", resolve=True
            )
        elif stage == "stalled":
            FamilyNeed.objects.filter(pk=need.pk).update(last_activity_at=now - timedelta(days=4))
    return {
        "family_needs": len(services_),
        "stall_reminders": services.stall_reminders_send(now=now),
    }
