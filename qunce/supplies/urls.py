from django.urls import path

from . import views

app_name = "supplies"
urlpatterns = [
    path("supplies/", views.needs, name="needs"),
    path("supplies/<int:pk>/", views.need_detail, name="need"),
    path("supplies/suppliers/", views.suppliers, name="suppliers"),
    path("supplies/suppliers/<int:pk>/verify/", views.supplier_verify, name="supplier_verify"),
    path("supplies/certificates/<int:pk>/", views.certificate, name="certificate"),
    path("donate/", views.public_needs, name="public_needs"),
    path("donate/<int:pk>/", views.public_pledge, name="public_pledge"),
    path("thanks/", views.thanks, name="thanks"),
]
