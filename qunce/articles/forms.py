from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.ledger.models import Commendation
from qunce.org.models import Campaign
from qunce.org.selectors import active_campaigns

from .models import Article


class ArticleForm(forms.Form):
    author = forms.ModelChoiceField(label=_("作者"), queryset=None)
    category = forms.ChoiceField(label=_("栏目"), choices=Article.Category.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(
        label=_("正文（纯文本，空行分段）"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    campaign = forms.ModelChoiceField(label=_("专项行动"), queryset=Campaign.objects.all())
    commendation = forms.ModelChoiceField(
        label=_("对应的表彰（先进事迹可选）"),
        queryset=Commendation.objects.filter(status=Commendation.Status.APPROVED),
        required=False,
    )

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = authors
        if not self.is_bound and "campaign" not in self.initial:
            self.initial["campaign"] = active_campaigns().first()


class ReviewForm(forms.Form):
    reason = forms.CharField(label=_("退回理由（退回时必填）"), max_length=300, required=False)
