"""Stateful fuzzing: hypothesis drives random sequences of consents given and withdrawn, new
notice versions, check-ins (sane and odd), counselling requests and data requests through the
API and pages, and checks after every step that nothing answered with a server error and that
the server agrees with a model of what it must allow."""

import json
import os

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from qunce.consents import services as consent_services
from qunce.consents.models import Purpose
from qunce.health.models import Checkin
from qunce.health.tests.conftest import healthy_answers

STEPS = int(os.environ.get("QUNCE_FUZZ_STEPS", "12"))
ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x07", "甲\x00乙", "x" * 5000, "2" * 30, "<script>", "１２３"]),
)
ODD_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, 1, 2, 2**63, -1])
)


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_random_sequences_keep_the_rules(world, policy):
    class Sequences(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.talent = Client()
            self.talent.force_login(world.users.talent)
            self.anonymous = Client()
            self.current = {purpose: 1 for purpose in Purpose.values}
            self.agreed = {purpose: 1 for purpose in (Purpose.HEALTH, Purpose.WHEREABOUTS)}
            self.responses = []

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _answer(self, response):
            self.responses.append(response)
            assert response.status_code < 500, response.content[:300]
            return response

        def _in_force(self, purpose):
            return self.agreed.get(purpose) == self.current[purpose]

        @rule(purpose=st.sampled_from(Purpose.values), version=st.one_of(ODD_NUMBER, st.just(None)))
        def give(self, purpose, version):
            version = self.current[purpose] if version is None else version
            response = self._answer(
                _post(self.talent, "/api/v1/consents", {"purpose": purpose, "version": version})
            )
            if version == self.current[purpose]:
                assert response.status_code == 200
                self.agreed[purpose] = version
            else:
                assert response.status_code == 422

        @rule(purpose=st.sampled_from([*Purpose.values, "shopping"]))
        def withdraw(self, purpose):
            response = self._answer(_post(self.talent, f"/api/v1/consents/{purpose}/withdraw", {}))
            if purpose in self.agreed:
                assert response.status_code == 200
                del self.agreed[purpose]
            else:
                assert response.status_code == 422

        @rule(purpose=st.sampled_from(Purpose.values))
        def new_version(self, purpose):
            consent_services.notice_publish(
                acting_user=world.users.org_admin, purpose=purpose, title="新版告知书", body="正文"
            )
            self.current[purpose] += 1

        @rule(
            with_place=st.booleans(),
            temperature=st.one_of(st.just("36.5"), ODD_TEXT, ODD_NUMBER.map(str)),
            key=st.one_of(st.just(""), st.sampled_from(["key-aaaa-0001", "key-bbbb-0002", "短"])),
        )
        def check_in(self, with_place, temperature, key):
            answers = healthy_answers(temperature=temperature)
            if not with_place:
                answers.update(region=None, on_campus=None, visited_risk_area=None)
            headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
            response = self._answer(
                self.talent.post(
                    "/api/v1/health/checkins",
                    json.dumps(answers),
                    content_type="application/json",
                    **headers,
                )
            )
            if response.status_code in (200, 201):
                assert self._in_force(Purpose.HEALTH)
                if with_place:
                    assert self._in_force(Purpose.WHEREABOUTS)
            elif not self._in_force(Purpose.HEALTH):
                assert response.status_code == 422

        @rule(version=st.one_of(ODD_NUMBER, st.just(None)), text=ODD_TEXT, anonymous=st.booleans())
        def ask_for_counselling(self, version, text, anonymous):
            version = self.current[Purpose.COUNSELLING] if version is None else version
            body = {
                "anonymous": anonymous,
                "category": "mood",
                "channel": "anonymous_message",
                "time_window": "晚上",
                "description": text,
                "consent_version": version,
            }
            response = self._answer(_post(self.anonymous, "/api/v1/counselling/requests", body))
            if response.status_code == 201:
                assert version == self.current[Purpose.COUNSELLING]

        @rule(
            kind=st.sampled_from(["correction", "deletion", "x"]), section=ODD_TEXT, detail=ODD_TEXT
        )
        def ask_about_my_data(self, kind, section, detail):
            self._answer(
                self.talent.post("/mydata/", {"kind": kind, "section": section, "detail": detail})
            )

        @invariant()
        def one_record_a_day(self):
            today = timezone.localdate()
            assert Checkin.objects.filter(person=world.users.talent.person, day=today).count() <= 1

    run_state_machine_as_test(
        Sequences,
        settings=settings(
            max_examples=STEPS,
            stateful_step_count=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
