"""National code lists, shipped as data (qunce/codes/data/, source and edition in each file)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeEntry(models.Model):
    code = models.CharField(_("代码"), max_length=8, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Discipline(CodeEntry):
    """研究生教育学科专业目录（2022年）: 门类, 一级学科 and 专业学位类别."""

    class Level(models.TextChoices):
        CATEGORY = "category", _("学科门类")
        FIRST_LEVEL = "first_level", _("一级学科")
        PROFESSIONAL = "professional", _("专业学位类别")

    level = models.CharField(_("层级"), max_length=16, choices=Level)

    class Meta(CodeEntry.Meta):
        verbose_name = _("学科")
        verbose_name_plural = _("学科（2022 目录）")


class Industry(CodeEntry):
    """国民经济行业分类 GB/T 4754-2017: 门类, 大类 and 中类."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")

    level = models.CharField(_("层级"), max_length=16, choices=Level)

    class Meta(CodeEntry.Meta):
        verbose_name = _("行业")
        verbose_name_plural = _("行业（GB/T 4754-2017）")


class Region(CodeEntry):
    """GB/T 2260 divisions: every province, and Liaoning's cities and counties."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地级")
        COUNTY = "county", _("县级")

    level = models.CharField(_("层级"), max_length=16, choices=Level)

    class Meta(CodeEntry.Meta):
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划（GB/T 2260）")
