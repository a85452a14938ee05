from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput

from .models import Pledge, Supplier, SupplyNeed

DATE = DateInput()


class NeedForm(forms.ModelForm):
    class Meta:
        model = SupplyNeed
        fields = [
            "item",
            "specification",
            "quantity",
            "unit_of_measure",
            "needed_by",
            "receiving_unit",
        ]
        widgets = {"needed_by": DATE}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = units


class PledgeForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["donor_name", "donor_contact", "quantity", "expected_on", "named_publicly"]
        widgets = {"expected_on": DATE}


class ReceiptForm(forms.Form):
    pledge = forms.ModelChoiceField(label=_("认捐"), queryset=Pledge.objects.none())
    quantity = forms.DecimalField(label=_("收货数量"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("说明（超过认捐数量时必填）"), max_length=300, required=False)

    def __init__(self, *args, need, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pledge"].queryset = need.pledges.all()


class DispatchForm(forms.Form):
    quantity = forms.DecimalField(label=_("出库数量"), max_digits=12, decimal_places=2)
    destination = forms.CharField(label=_("去向"), max_length=200)


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "contact", "items", "price", "capacity", "qualification"]


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("采购进展"), max_length=500)
