import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.ledger.selectors import commendations_visible_to
from qunce.org.selectors import campaign_of_payload, people_visible_to

from . import selectors, services
from .models import Article

router = Router(tags=["articles"])


class ArticleIn(Schema):
    author_id: int
    campaign_id: int
    category: Article.Category
    title: str = Field(..., max_length=120)
    body: str = Field(..., max_length=20000)
    commendation_id: int | None = None


class ArticleOut(Schema):
    id: int
    author_id: int
    unit_id: int
    category: Article.Category
    title: str
    body: str
    status: Article.Status
    commendation_id: int | None
    return_reason: str
    published_at: datetime.datetime | None


class ReviewIn(Schema):
    publish: bool
    reason: str = Field("", max_length=300)


@router.get("/articles", response=list[ArticleOut], auth=None)
@paginate(BoundedPageNumberPagination)
def published_articles(request, category: Article.Category | None = None):
    """The public page's articles: no token needed."""
    articles = selectors.published_articles()
    return articles.filter(category=category) if category else articles


@router.post("/articles", response={201: ArticleOut})
def write_article(request, payload: ArticleIn):
    author = people_visible_to(request.user).filter(pk=payload.author_id).first()
    if author is None:
        raise ValidationError({"author_id": _("只能为本人或本单位人员撰写文章。")})
    campaign = campaign_of_payload(payload.campaign_id)
    commendation = None
    if payload.commendation_id is not None:
        commendation = (
            commendations_visible_to(request.user).filter(pk=payload.commendation_id).first()
        )
        if commendation is None:
            raise ValidationError({"commendation_id": _("没有这项表彰。")})
    article = services.article_save(
        acting_user=request.user,
        author=author,
        campaign=campaign,
        category=payload.category,
        title=payload.title,
        body=payload.body,
        commendation=commendation,
    )
    return Status(201, article)


@router.post("/articles/{article_id}/submit", response=ArticleOut)
def submit_article(request, article_id: int):
    article = selectors.get_article_for_user(request.user, article_id)
    return services.article_submit(article=article, acting_user=request.user)


@router.post("/articles/{article_id}/review", response=ArticleOut)
def review_article(request, article_id: int, payload: ReviewIn):
    article = selectors.get_article_for_user(request.user, article_id)
    if article.status == Article.Status.PUBLISHED and not selectors.may_review(
        request.user, article
    ):
        raise Http404
    return services.article_review(
        article=article, acting_user=request.user, publish=payload.publish, reason=payload.reason
    )
