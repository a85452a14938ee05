"""Supply drives (爱心员 §二): needs, donors' pledges, a stock ledger of what came in and went out."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.org.models import Campaign, Person, Unit


class UnitOfMeasure(models.TextChoices):
    PIECE = "piece", _("个")
    ITEM = "item", _("件")
    BOX = "box", _("箱")
    PACK = "pack", _("包")
    BOTTLE = "bottle", _("瓶")
    SET = "set", _("套")
    DEVICE = "device", _("台")
    KILOGRAM = "kg", _("千克")
    LITRE = "litre", _("升")


COUNTED_UNITS = {
    UnitOfMeasure.PIECE,
    UnitOfMeasure.ITEM,
    UnitOfMeasure.BOX,
    UnitOfMeasure.PACK,
    UnitOfMeasure.BOTTLE,
    UnitOfMeasure.SET,
    UnitOfMeasure.DEVICE,
}
QUANTITY = {
    "max_digits": 12,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01"))],
}


class SupplyNeed(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("筹集中")
        FULFILLED = "fulfilled", _("已满足")
        CANCELLED = "cancelled", _("已取消")

    TRANSITIONS = {
        Status.OPEN: {Status.FULFILLED, Status.CANCELLED},
        Status.FULFILLED: set(),
        Status.CANCELLED: set(),
    }

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(_("物资"), max_length=100)
    specification = models.CharField(_("规格"), max_length=200, blank=True)
    quantity = models.DecimalField(_("需要数量"), **QUANTITY)
    unit_of_measure = models.CharField(_("单位"), max_length=10, choices=UnitOfMeasure)
    needed_by = models.DateField(_("需要日期"))
    receiving_unit = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.OPEN)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("物资需求")
        verbose_name_plural = _("物资需求")
        ordering = ["status", "needed_by"]

    def __str__(self):
        return f"{self.item} {self.quantity}{self.get_unit_of_measure_display()}"


class Pledge(models.Model):
    need = models.ForeignKey(SupplyNeed, on_delete=models.PROTECT, related_name="pledges")
    donor_name = models.CharField(_("捐赠方"), max_length=100)
    donor_contact = models.CharField(_("联系方式"), max_length=50)
    donor_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.DecimalField(_("认捐数量"), **QUANTITY)
    expected_on = models.DateField(_("预计送达"))
    named_publicly = models.BooleanField(_("同意公开致谢"), default=False)
    pledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认捐")
        verbose_name_plural = _("认捐")

    def __str__(self):
        return f"{self.donor_name} → {self.need}"


class StockMovement(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("入库")
        DISPATCHED = "dispatched", _("出库")

    need = models.ForeignKey(SupplyNeed, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind)
    quantity = models.DecimalField(_("数量"), **QUANTITY)
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    destination = models.CharField(_("去向"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    moved_on = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("出入库")
        verbose_name_plural = _("出入库")
        ordering = ["moved_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity}"


class Supplier(models.Model):
    name = models.CharField(_("供应商"), max_length=100)
    contact = models.CharField(_("联系人和电话"), max_length=100)
    items = models.CharField(_("可供物资"), max_length=300)
    price = models.CharField(_("价格"), max_length=100, blank=True)
    capacity = models.CharField(_("供货能力"), max_length=100, blank=True)
    qualification = models.CharField(_("资质"), max_length=200, blank=True)
    contributed_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("供应渠道")
        verbose_name_plural = _("供应渠道")

    def __str__(self):
        return self.name


class ProcurementHelp(models.Model):
    class Status(models.TextChoices):
        TAKEN = "taken", _("进行中")
        DONE = "done", _("已完成")

    TRANSITIONS = {Status.TAKEN: {Status.DONE}, Status.DONE: set()}

    need = models.ForeignKey(SupplyNeed, on_delete=models.CASCADE, related_name="procurement")
    helper = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    progress = models.TextField(_("进展"), blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.TAKEN)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "helper"], name="one_help_per_helper")
        ]

    def __str__(self):
        return f"{self.helper} → {self.need}"
