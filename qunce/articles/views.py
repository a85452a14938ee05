from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import one_button
from qunce.core.forms import add_service_errors
from qunce.org.access import Action, access_for, may
from qunce.org.selectors import people_recorded_by

from . import selectors, services
from .forms import ArticleForm, ReviewForm
from .models import Article


def public_list(request):
    """防护知识, 防控要求 and 先进事迹 as published: no login needed."""
    articles = selectors.published_articles()
    category = request.GET.get("category", "")
    if category in Article.Category.values:
        articles = articles.filter(category=category)
    return render(
        request,
        "articles/public_list.html",
        {"articles": articles[:100], "category": category, "categories": Article.Category.choices},
    )


def detail(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    return render(
        request,
        "articles/detail.html",
        {
            "article": article,
            "may_edit": selectors.may_edit(request.user, article),
            "may_review": selectors.may_review(request.user, article),
            "review_form": ReviewForm(),
        },
    )


@login_required
def manage(request):
    articles = selectors.articles_managed_by(request.user)
    return render(
        request,
        "articles/manage.html",
        {
            "articles": articles.select_related("author", "unit").order_by("-status_changed_at")[
                :200
            ],
            "can_write": access_for(request.user).is_talent
            or may(request.user, Action.ACT_FOR_UNIT_PEOPLE),
        },
    )


def _save(request, article=None):
    authors = people_recorded_by(request.user)
    if not authors.exists():
        raise PermissionDenied
    initial = {"author": access_for(request.user).person_id}
    if article is not None:
        initial = {
            "author": article.author_id,
            "category": article.category,
            "title": article.title,
            "body": article.body,
            "campaign": article.campaign_id,
            "commendation": article.commendation_id,
        }
    form = ArticleForm(request.POST or None, authors=authors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_save(
                acting_user=request.user, article=article, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。提交审核后，经单位审核即可公开发布。"))
            return redirect("articles:detail", pk=article.pk)
    return render(request, "articles/write.html", {"form": form, "article": article})


@login_required
def write(request):
    return _save(request)


@login_required
def edit(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    if not selectors.may_edit(request.user, article):
        raise PermissionDenied
    return _save(request, article)


@login_required
@require_POST
def submit(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    return one_button(
        request,
        lambda: services.article_submit(article=article, acting_user=request.user),
        done=_("已提交，等待单位审核。"),
        to="articles:detail",
        pk=article.pk,
    )


@login_required
@require_POST
def review(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    return one_button(
        request,
        lambda: services.article_review(
            article=article,
            acting_user=request.user,
            publish=request.POST.get("decision") == "publish",
            reason=form.cleaned_data.get("reason", ""),
        ),
        to="articles:detail",
        pk=article.pk,
    )
