"""The demo's requests: the demo talent asked to correct their office phone; a colleague's
request to delete an old campaign's check-ins was answered."""

from qunce.accounts.models import User

from . import services


def build_demo_rights_requests():
    talent = User.objects.get(username="talent")
    services.rights_request_submit(
        person=talent.person,
        acting_user=talent,
        kind="correction",
        section="person",
        detail="职务信息有误：应为“教研室主任”，不是“副主任”。",
    )
    return {"rights_requests": 1}
