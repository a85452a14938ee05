"""Reads of articles: published ones are public; the rest are seen by their author, the admins
of the author's unit and the org admin."""

from django.db.models import Q
from django.http import Http404

from qunce.org.access import access_for

from .models import Article


def published_articles():
    return Article.objects.filter(status=Article.Status.PUBLISHED).select_related(
        "author", "unit", "commendation"
    )


def articles_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return Article.objects.all()
    own = Q(author_id=access.person_id) if access.person_id else Q(pk__in=[])
    return Article.objects.filter(
        Q(status=Article.Status.PUBLISHED) | own | access.unit_path_filter("unit__path")
    )


def articles_managed_by(user):
    """The articles on the management page: all of them for the org admin; for anyone else their
    own and their units' (everyone's published articles are on the public page)."""
    access = access_for(user)
    articles = articles_visible_to(user)
    if access.is_org_admin:
        return articles
    return articles.filter(access.unit_path_filter("unit__path") | Q(author_id=access.person_id))


def get_article_for_user(user, pk):
    try:
        return (
            articles_visible_to(user)
            .select_related("author__unit", "unit", "commendation", "campaign")
            .get(pk=pk)
        )
    except (Article.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def may_edit(user, article):
    access = access_for(user)
    return article.status in (Article.Status.DRAFT, Article.Status.RETURNED) and (
        access.person_id == article.author_id or access.administers_unit(article.unit)
    )


def may_review(user, article):
    access = access_for(user)
    return (
        article.status == Article.Status.SUBMITTED
        and access.administers_unit(article.unit)
        and access.person_id != article.author_id
        and article.written_by_id != user.pk
    )
