"""Articles (宣传员 §二): knowledge, requirements and exemplary deeds, reviewed before the public
sees them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.ledger.models import Commendation
from qunce.org.models import Campaign, Person, Unit


class Article(models.Model):
    class Category(models.TextChoices):
        KNOWLEDGE = "knowledge", _("防护知识")
        REQUIREMENTS = "requirements", _("防控要求")
        EXEMPLARS = "exemplars", _("先进事迹")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已发布")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.PUBLISHED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.PUBLISHED: set(),
    }

    author = models.ForeignKey(
        Person, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="articles"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("栏目"), max_length=16, choices=Category)
    title = models.CharField(_("标题"), max_length=120)
    # Plain text: shown escaped, paragraphs kept. No HTML is ever rendered from it.
    body = models.TextField(_("正文"), max_length=20000)
    commendation = models.ForeignKey(
        Commendation,
        verbose_name=_("对应的表彰"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("先进事迹可关联已批准的表彰，公开页面会链接过去。"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    return_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("撰写时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("宣传文章")
        verbose_name_plural = _("宣传文章")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self):
        return self.title
