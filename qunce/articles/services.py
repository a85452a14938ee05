"""Writes of articles: writing, submitting, reviewing; publishing enters the author's 宣传员
service in the ledger."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.notify import notify_users
from qunce.core.review import Review, review_decide
from qunce.core.services import audit_record, transition
from qunce.ledger import services as ledger_services
from qunce.ledger.models import Commendation
from qunce.org.access import access_for
from qunce.org.models import Campaign, Person
from qunce.org.selectors import unit_admins_of

from .models import Article

EDITABLE = {Article.Status.DRAFT, Article.Status.RETURNED}


def _may_write_for(acting_user, author):
    access = access_for(acting_user)
    return access.person_id == author.pk or access.administers_unit(author.unit)


def _check(title, body, category, commendation, campaign):
    errors = {}
    today = timezone.localdate()
    if campaign.starts_on > today or (campaign.ends_on and campaign.ends_on < today):
        errors["campaign"] = _("只能为进行中的专项行动撰写文章。")
    if not (title or "").strip():
        errors["title"] = _("请填写标题。")
    if not (body or "").strip():
        errors["body"] = _("正文不能为空。")
    if category not in Article.Category.values:
        errors["category"] = _("请选择栏目。")
    if commendation is not None and commendation.status != Commendation.Status.APPROVED:
        errors["commendation"] = _("只能关联已批准的表彰。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def article_save(
    *,
    acting_user: User,
    author: Person,
    campaign: Campaign,
    category: str,
    title: str,
    body: str,
    commendation: Commendation | None = None,
    article: Article | None = None,
) -> Article:
    """Write a new article, or change one that is a draft or was sent back."""
    if not _may_write_for(acting_user, author):
        raise ValidationError({"author": _("只能为本人或本单位人员撰写文章。")})
    _check(title, body, category, commendation, campaign)
    if article is None:
        article = Article(author=author, unit=author.unit, written_by=acting_user)
    elif article.status not in EDITABLE:
        raise ValidationError(_("待审核或已发布的文章不能修改。"))
    article.campaign = campaign
    article.category = category
    article.title = title.strip()
    article.body = body.strip()
    article.commendation = commendation
    article.save()
    audit_record(actor=acting_user, action="article.save", target=article)
    return article


@transaction.atomic
def article_submit(*, article: Article, acting_user: User) -> Article:
    if not _may_write_for(acting_user, article.author):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    transition(record=article, to_state=Article.Status.SUBMITTED, actor=acting_user)
    notify_users(
        dedupe_key=f"article-submitted:{article.pk}:{article.status_changed_at.isoformat()}",
        recipients=unit_admins_of(article.unit),
        subject=_("待审核文章：%(title)s") % {"title": article.title},
        link=f"/articles/{article.pk}/",
        email=False,
    )
    return article


ARTICLE_REVIEW = Review(
    own_message=gettext_lazy("不能审核自己撰写的文章。"),
    subject_field="author",
    filer_field="written_by",
    reviewer_field="reviewed_by",
    reason_field="return_reason",
    reason_required=frozenset({Article.Status.RETURNED}),
    reason_message=gettext_lazy("请写明退回理由，作者会看到。"),
)


@transaction.atomic
def article_review(
    *, article: Article, acting_user: User, publish: bool, reason: str = ""
) -> Article:
    """The unit's admin or the org admin publishes an article or sends it back with a reason;
    nobody reviews their own."""
    access = access_for(acting_user)
    if not access.administers_unit(article.unit):
        raise PermissionDenied
    article = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    review_decide(
        review=ARTICLE_REVIEW,
        record=article,
        to_state=Article.Status.PUBLISHED if publish else Article.Status.RETURNED,
        acting_user=acting_user,
        acting_person_id=access.person_id,
        reason="" if publish else reason,
    )
    if publish:
        article.published_at = timezone.now()
        article.save(update_fields=["published_at"])
    if publish:
        # Dated today, or the campaign's last day if it has ended since the article was saved.
        day = min(timezone.localdate(), article.campaign.ends_on or timezone.localdate())
        ledger_services.ledger_record(
            person=article.author,
            role="publicist",
            campaign=article.campaign,
            date_from=day,
            date_to=day,
            summary=_("发布宣传文章《%(title)s》（%(category)s）")
            % {"title": article.title, "category": article.get_category_display()},
            source=article,
            acting_user=acting_user,
        )
    if article.author.user_id:
        notify_users(
            dedupe_key=f"article-reviewed:{article.pk}:{article.status}:{article.status_changed_at.isoformat()}",
            recipients=[article.author.user],
            subject=(_("文章已发布：%(title)s") if publish else _("文章被退回：%(title)s"))
            % {"title": article.title},
            body=article.return_reason,
            link=f"/articles/{article.pk}/",
            email=False,
        )
    return article
