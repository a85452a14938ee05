"""Writes of a person's rights requests: asking for a correction or a deletion, and the unit
admin's answer, which for a deletion removes what no retention duty keeps and says what stays
and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.core.services import inbox_send, transition
from qunce.counselling.services import cases_erase_for_requester, coordinators
from qunce.health.services import checkins_erase_for_person
from qunce.org.access import access_for
from qunce.org.models import Person
from qunce.org.selectors import unit_admins_of
from qunce.talents.services import profile_erase

from . import selectors
from .models import RightsRequest

# What a deletion request can remove now, per section; every other section says why it stays.
ERASERS = {
    "checkins": lambda person, actor: checkins_erase_for_person(person=person, acting_user=actor),
    "talent_profile": lambda person, actor: profile_erase(person=person, acting_user=actor),
    "counselling_cases": lambda person, actor: (
        cases_erase_for_requester(user=person.user, acting_user=actor) if person.user_id else 0
    ),
}


@transaction.atomic
def rights_request_submit(
    *, person: Person, acting_user: User, kind: str, section: str, detail: str
) -> RightsRequest:
    """The person asks to correct or delete part of what is kept about them; only they can."""
    access = access_for(acting_user)
    if access.person_id != person.pk:
        raise PermissionDenied(_("只能为本人的信息提出更正或删除申请。"))
    if kind not in RightsRequest.Kind.values:
        raise ValidationError({"kind": _("请选择更正或删除。")})
    titles = selectors.section_titles(selectors.sections_of(person))
    if section not in titles:
        raise ValidationError({"section": _("请选择要更正或删除的信息。")})
    detail = (detail or "").strip()
    if not detail:
        raise ValidationError({"detail": _("请写明哪里有误、应当是什么，或希望删除哪些信息。")})
    request = RightsRequest(
        person=person, kind=kind, section=section, detail=detail, submitted_by=acting_user
    )
    request.full_clean()
    request.save()
    inbox_send(
        recipients=coordinators()
        if section in selectors.COUNSELLING_SECTIONS
        else unit_admins_of(person.unit),
        subject=_("%(name)s 申请%(kind)s个人信息：%(section)s")
        % {"name": person.name, "kind": request.get_kind_display(), "section": titles[section]},
        link=reverse("rights:requests"),
    )
    return request


@transaction.atomic
def rights_request_handle(
    *, request: RightsRequest, acting_user: User, to_status: str, reply: str
) -> RightsRequest:
    """A unit admin (of the person's unit or above) or an org admin answers; a counselling
    coordinator for requests about counselling. A deletion that is
    done removes what the section allows now and the answer says what stays and why."""
    request = (
        RightsRequest.objects.select_for_update().select_related("person__unit").get(pk=request.pk)
    )
    person = request.person
    if access_for(acting_user).person_id == person.pk:
        raise PermissionDenied(_("不能办理本人的申请，请由其他管理员办理。"))
    if not selectors.may_handle(acting_user, request):
        raise PermissionDenied(
            _("只有本人所在单位的管理员（心理咨询相关的由心理咨询协调员）可以办理。")
        )
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("请填写答复：已如何办理，或不予办理的理由。")})
    if to_status == RightsRequest.Status.DONE and request.kind == RightsRequest.Kind.DELETION:
        reply = f"{reply}\n{_deletion_outcome(person, request.section, acting_user)}"
    request.reply = reply
    request.handled_by = acting_user
    request.save(update_fields=["reply", "handled_by"])
    transition(record=request, to_state=to_status, actor=acting_user, note=reply[:200])
    if person.user_id:
        inbox_send(
            recipients=[person.user],
            subject=_("您的个人信息%(kind)s申请已答复：%(status)s")
            % {"kind": request.get_kind_display(), "status": request.get_status_display()},
            body=reply,
            link=reverse("rights:mine"),
        )
    return request


def _deletion_outcome(person, key, acting_user):
    """Delete what `key` allows now; say how much went and why the rest stays."""
    section = selectors.section_of(person, key)
    if section is None:
        return _("这类信息已不在系统中，无需删除。")
    eraser = ERASERS.get(key)
    deleted = eraser(person, acting_user) if eraser else 0
    kept = len(section.rows) - deleted
    outcome = _("已删除“%(title)s” %(deleted)s 条。") % {"title": section.title, "deleted": deleted}
    if kept > 0:
        outcome += _("保留 %(kept)s 条：%(why)s") % {"kept": kept, "why": section.kept_because}
    return outcome
