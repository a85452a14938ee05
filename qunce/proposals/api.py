import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.org.selectors import campaign_of_payload

from . import selectors, services
from .models import KeyProblem, Proposal

router = Router(tags=["proposals"])


class ProposalIn(Schema):
    campaign_id: int
    topic: str = Field(..., max_length=120)
    problem: str = Field(..., max_length=5000)
    suggestion: str = Field(..., max_length=10000)


class ProposalOut(Schema):
    id: int
    author_id: int
    unit_id: int
    campaign_id: int
    topic: str
    problem: str
    suggestion: str
    status: Proposal.Status
    referred_to: str
    feedback: str
    submitted_at: datetime.datetime


class DecisionIn(Schema):
    decision: Proposal.Status
    feedback: str = Field(..., max_length=2000)
    referred_to: str = Field("", max_length=100)


class KeyProblemIn(Schema):
    campaign_id: int
    title: str = Field(..., max_length=120)
    description: str = Field(..., max_length=5000)


class KeyProblemOut(Schema):
    id: int
    campaign_id: int
    title: str
    description: str
    status: KeyProblem.Status
    published_at: datetime.datetime


class ProgressIn(Schema):
    text: str = Field(..., max_length=2000)


@router.get("/proposals", response=list[ProposalOut])
@paginate(BoundedPageNumberPagination)
def list_proposals(request):
    return selectors.proposals_visible_to(request.user)


@router.post("/proposals", response={201: ProposalOut})
def submit_proposal(request, payload: ProposalIn):
    """Attachments are added on the page; the API carries the text."""
    proposal = services.proposal_submit(
        acting_user=request.user,
        campaign=campaign_of_payload(payload.campaign_id),
        topic=payload.topic,
        problem=payload.problem,
        suggestion=payload.suggestion,
    )
    return Status(201, proposal)


@router.post("/proposals/{proposal_id}/decide", response=ProposalOut)
def decide_proposal(request, proposal_id: int, payload: DecisionIn):
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    return services.proposal_decide(
        proposal=proposal,
        acting_user=request.user,
        decision=payload.decision,
        feedback=payload.feedback,
        referred_to=payload.referred_to,
    )


@router.get("/key-problems", response=list[KeyProblemOut])
@paginate(BoundedPageNumberPagination)
def list_key_problems(request):
    return selectors.key_problems_visible_to(request.user)


@router.post("/key-problems", response={201: KeyProblemOut})
def publish_key_problem(request, payload: KeyProblemIn):
    problem = services.key_problem_publish(
        acting_user=request.user,
        campaign=campaign_of_payload(payload.campaign_id),
        title=payload.title,
        description=payload.description,
    )
    return Status(201, problem)


@router.post("/key-problems/{problem_id}/volunteer", response={201: dict})
def volunteer_for_key_problem(request, problem_id: int):
    problem = selectors.get_key_problem_for_user(request.user, problem_id)
    volunteer = services.key_problem_volunteer(problem=problem, acting_user=request.user)
    return Status(201, {"problem_id": problem.pk, "person_id": volunteer.person_id})


@router.post("/key-problems/{problem_id}/progress", response={201: dict})
def report_key_problem_progress(request, problem_id: int, payload: ProgressIn):
    problem = selectors.get_key_problem_for_user(request.user, problem_id)
    note = services.key_problem_progress(
        problem=problem, acting_user=request.user, text=payload.text
    )
    return Status(201, {"problem_id": problem.pk, "text": note.text})
