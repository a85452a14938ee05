"""The demo's requests: the demo talent asked to correct their office phone; a colleague's
request to delete an old campaign's check-ins was answered. Looking into the request, the org
admin read the talent's record and check-ins: traces the talent's unit admin finds in the
audit log (管理 → 操作与访问记录)."""

from qunce.accounts.models import User
from qunce.health.models import CheckinAccess
from qunce.health.services import checkin_reads_log
from qunce.org.models import PersonRead
from qunce.org.services import person_read_log

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
    org_admin = User.objects.get(username="orgadmin")
    person_read_log(viewer=org_admin, person=talent.person, via=PersonRead.Via.PAGE)
    checkin_reads_log(
        viewer=org_admin,
        people=[talent.person.pk],
        what=CheckinAccess.What.HISTORY,
        detail="核实个人信息更正申请",
    )
    return {"rights_requests": 1, "demo_reads": 2}
