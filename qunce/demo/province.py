"""A made-up province for load tests and capacity planning: a province root (省委教育工委) above
universities of different kinds and sizes in Liaoning's fourteen cities, their colleges and
party branches, people with titles and disciplines of the MOE catalogue, accounts with API
tokens, consent to the check-in's notices, and 14 days of check-ins. Written at COPY speed.

Every person's API token follows from the seed and their 工号 (`province_token`), so a load
test can sign in as anyone without a file of a million secrets; `seed_province` therefore
refuses production, like `seed_demo`.
"""

import datetime
import hashlib
import hmac
import itertools
import random
from array import array
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from qunce.accounts.models import ApiToken, User, api_token_digest
from qunce.assistance.demo import ASKS, ask_submit
from qunce.codes.models import Region
from qunce.consents.models import Consent, ConsentDecision, ConsentNotice, Purpose
from qunce.health.models import Checkin, CheckinPolicy, HealthAlert
from qunce.org.demo import (
    DEMO_PASSWORD,
    FACULTY_POSTS,
    FACULTY_TITLES,
    POLITICAL_WEIGHTS,
    STAFF_POSTS,
    STAFF_TITLES,
    TITLE_WEIGHTS,
    made_up_name,
    weighted_choice,
)
from qunce.org.models import Campaign, Gender, Person, Role, RoleGrant, TitleLevel, Unit
from qunce.talents.demo import EXPERTISE, WORK_TEMPLATES
from qunce.talents.models import TalentProfile

from .bulk import TableWriter, ids_reserve, loading

PROVINCE_CODE = "LN"
PROVINCE_NAME = "辽宁省委教育工委（演示）"
CAMPAIGN_NAME = "2020 新冠肺炎疫情防控"
CHECKIN_DAYS = 14
REPORTING_SHARE = 0.97
FEVER_SHARE = 0.002
PEOPLE_PER_BRANCH = 150

CITIES = [
    ("210100", "沈阳"),
    ("210200", "大连"),
    ("210300", "鞍山"),
    ("210400", "抚顺"),
    ("210500", "本溪"),
    ("210600", "丹东"),
    ("210700", "锦州"),
    ("210800", "营口"),
    ("210900", "阜新"),
    ("211000", "辽阳"),
    ("211100", "盘锦"),
    ("211200", "铁岭"),
    ("211300", "朝阳"),
    ("211400", "葫芦岛"),
]

# College → first-level disciplines (MOE catalogue 2022) of its teachers.
COLLEGES = {
    "冶金与能源学院": ["0806", "0805"],
    "材料科学与工程学院": ["0805"],
    "机械工程学院": ["0802", "0811"],
    "电子与信息工程学院": ["0810", "0812", "0835"],
    "化学工程学院": ["0817", "0703"],
    "土木工程学院": ["0814"],
    "环境学院": ["0830", "0713"],
    "经济管理学院": ["1202", "1201", "0202"],
    "外国语学院": ["0502"],
    "马克思主义学院": ["0305"],
    "文学院": ["0501"],
    "教育科学学院": ["0401"],
    "体育学院": ["0403"],
    "数学与统计学院": ["0701"],
    "生命科学学院": ["0710"],
    "法学院": ["0301"],
    "基础医学院": ["1001"],
    "临床医学院": ["1002"],
    "口腔医学院": ["1003"],
    "药学院": ["1007"],
    "农学院": ["0901"],
    "植物保护学院": ["0904"],
    "动物科学学院": ["0905"],
    "林学院": ["0907"],
    "农业工程学院": ["0828"],
    "艺术学院": ["1301"],
    "公共管理学院": ["1204"],
}
# Kind of university: (name suffix, share of the province's universities, relative size,
# its colleges). Every university also has its offices (机关党委), where staff work.
KINDS = [
    (
        "理工大学",
        3,
        1.6,
        [
            "冶金与能源学院",
            "材料科学与工程学院",
            "机械工程学院",
            "电子与信息工程学院",
            "化学工程学院",
            "土木工程学院",
            "环境学院",
            "经济管理学院",
            "外国语学院",
            "数学与统计学院",
            "马克思主义学院",
        ],
    ),
    (
        "大学",
        2,
        2.0,
        [
            "文学院",
            "数学与统计学院",
            "电子与信息工程学院",
            "化学工程学院",
            "生命科学学院",
            "法学院",
            "经济管理学院",
            "外国语学院",
            "教育科学学院",
            "土木工程学院",
            "艺术学院",
            "马克思主义学院",
        ],
    ),
    (
        "师范学院",
        2,
        1.0,
        [
            "教育科学学院",
            "文学院",
            "数学与统计学院",
            "外国语学院",
            "生命科学学院",
            "体育学院",
            "艺术学院",
            "马克思主义学院",
        ],
    ),
    (
        "医学院",
        1,
        1.2,
        ["基础医学院", "临床医学院", "口腔医学院", "药学院", "公共管理学院", "马克思主义学院"],
    ),
    (
        "农业大学",
        1,
        1.0,
        [
            "农学院",
            "植物保护学院",
            "动物科学学院",
            "林学院",
            "农业工程学院",
            "生命科学学院",
            "经济管理学院",
            "马克思主义学院",
        ],
    ),
    ("财经学院", 1, 0.7, ["经济管理学院", "法学院", "数学与统计学院", "公共管理学院"]),
    (
        "职业技术学院",
        4,
        0.35,
        ["机械工程学院", "电子与信息工程学院", "化学工程学院", "经济管理学院"],
    ),
]
OFFICES = "机关党委"
OFFICE_SHARE = 0.18


def province_token(seed, staff_no):
    """The API token of the person with `staff_no` in the province made with `seed`."""
    secret = hmac.new(str(seed).encode(), staff_no.encode(), hashlib.sha256).hexdigest()
    return f"qc_province_{secret[:40]}"


@dataclass
class University:
    number: int
    name: str
    city_code: str
    region_code: str
    people: int
    colleges: list
    unit: Unit = None
    # (unit, people in it, discipline codes of its teachers or None for staff)
    slots: list = field(default_factory=list)
    first_person_id: int = 0


def plan_universities(rng, universities, people):
    """Names, cities, kinds and sizes, summing to `people`."""
    kinds = [kind for kind in KINDS for _ in range(kind[1])]
    rng.shuffle(kinds)
    combinations = [(city, kind) for city in CITIES for kind in KINDS]
    rng.shuffle(combinations)
    chosen, used = [], set()
    while len(chosen) < universities:
        kind = kinds[len(chosen) % len(kinds)]
        city = next(
            (c for c, k in combinations if k is kind and (c, k[0]) not in used),
            CITIES[len(chosen) % len(CITIES)],
        )
        ordinal = sum(1 for c, suffix in used if c == city and suffix == kind[0])
        used.add((city, kind[0]))
        chosen.append((city, kind, ordinal))
    weights = [kind[2] * rng.lognormvariate(0, 0.35) for _city, kind, _ordinal in chosen]
    sizes = apportion(people, weights)
    regions = _first_county_of(city for (city, _name), _kind, _ordinal in chosen)
    return [
        University(
            number=number,
            name=f"{city_name}{kind[0]}" + (f"（第{ordinal + 1}校区）" if ordinal else ""),
            city_code=city_code,
            region_code=regions[city_code],
            people=size,
            colleges=kind[3],
        )
        for number, (((city_code, city_name), kind, ordinal), size) in enumerate(
            zip(chosen, sizes, strict=True), start=1
        )
    ]


def _first_county_of(city_codes):
    codes = set(city_codes)
    first = {}
    for code, parent in (
        Region.objects.filter(parent_id__in=codes).order_by("code").values_list("code", "parent")
    ):
        first.setdefault(parent, code)
    return {code: first.get(code, code) for code in codes}


def build_unit_tree(universities):
    """The province root, its universities, their colleges and offices, and party branches,
    with the paths treebeard would give them, in one write per level."""
    root = Unit.objects.add_root(
        {"name": PROVINCE_NAME, "short_name": "省委教育工委", "code": PROVINCE_CODE,
         "kind": Unit.Kind.PROVINCE}
    )  # fmt: skip
    levels = [[], [], []]
    for university in universities:
        code = f"{PROVINCE_CODE}U{university.number:02d}"
        university.unit = Unit(
            name=university.name,
            short_name=university.name,
            code=code,
            kind=Unit.Kind.UNIVERSITY,
            path=Unit._get_path(root.path, 2, university.number),
            depth=2,
        )
        levels[0].append(university.unit)
        tops = [(OFFICES, None, OFFICE_SHARE)] + [
            (name, COLLEGES[name], (1 - OFFICE_SHARE) / len(university.colleges))
            for name in university.colleges
        ]
        university.unit.numchild = len(tops)
        for number, (name, disciplines, share) in enumerate(tops, start=1):
            top_people = round(university.people * share)
            branches = max(1, min(12, round(top_people / PEOPLE_PER_BRANCH)))
            top = Unit(
                name=name,
                short_name=name.replace("党委", ""),
                code=f"{code}-{number:02d}",
                kind=Unit.Kind.PARTY_COMMITTEE,
                path=Unit._get_path(university.unit.path, 3, number),
                depth=3,
                numchild=branches,
            )
            levels[1].append(top)
            for branch_number in range(1, branches + 1):
                college = f"{name}教工" if disciplines else "机关"
                branch = Unit(
                    name=f"{college}第{branch_number}党支部",
                    code=f"{top.code}-{branch_number:02d}",
                    kind=Unit.Kind.BRANCH,
                    path=Unit._get_path(top.path, 4, branch_number),
                    depth=4,
                )
                levels[2].append(branch)
                university.slots.append((branch, top_people / branches, disciplines))
        counts = apportion(university.people, [size for _unit, size, _d in university.slots])
        university.slots = [
            (unit, count, disciplines)
            for (unit, _size, disciplines), count in zip(university.slots, counts, strict=True)
        ]
    root.numchild = len(universities)
    root.save(update_fields=["numchild"])
    for level in levels:
        Unit.objects.bulk_create(level, batch_size=2000)
    return root


PERSON_COLUMNS = [
    "id", "staff_no", "name", "gender", "unit_id", "title_level", "title", "post",
    "political_status", "mobile", "wechat_id", "qq", "email", "user_id",
]  # fmt: skip


def write_people(rng, universities, seed):
    """People, their accounts and tokens, and the profiles of teachers with a senior or
    associate title. Returns (each person's unit id, in id order) and the counts."""
    total = sum(university.people for university in universities)
    person_ids = ids_reserve(Person, total)
    user_ids = ids_reserve(User, total)
    unusable_password = make_password(None)
    people = TableWriter(Person, PERSON_COLUMNS)
    users = TableWriter(User, ["id", "username", "first_name", "password", "is_active"])
    tokens = TableWriter(ApiToken, ["user_id", "name", "digest"])
    profiles = TableWriter(
        TalentProfile,
        [
            "id",
            "person_id",
            "research_fields",
            "keywords",
            "works",
            "search_text",
            "volunteers_technician",
        ],
    )
    disciplines = TableWriter(
        TalentProfile.disciplines.through, ["talentprofile_id", "discipline_id"]
    )
    unit_of = array("q")
    teachers = []  # (person id, discipline codes)
    rows = []

    def person_rows():
        offset = 0
        for university in universities:
            university.first_person_id = person_ids[offset]
            for unit, count, discipline_codes in university.slots:
                faculty = discipline_codes is not None
                for _ in range(count):
                    person_id, user_id = person_ids[offset], user_ids[offset]
                    offset += 1
                    staff_no = f"U{university.number:02d}{offset:07d}"
                    gender = Gender.MALE if rng.random() < 0.55 else Gender.FEMALE
                    level = weighted_choice(rng, TITLE_WEIGHTS[faculty])
                    titles = (FACULTY_TITLES if faculty else STAFF_TITLES).get(level, [""])
                    name = made_up_name(rng, gender)
                    unit_of.append(unit.pk)
                    rows.append((user_id, staff_no, name))
                    if faculty and level in (TitleLevel.SENIOR, TitleLevel.ASSOCIATE):
                        teachers.append((person_id, discipline_codes))
                    yield (
                        person_id, staff_no, name, gender, unit.pk, level, rng.choice(titles),
                        rng.choice(FACULTY_POSTS if faculty else STAFF_POSTS),
                        weighted_choice(rng, POLITICAL_WEIGHTS),
                        f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}", "", "",
                        f"{staff_no.lower()}@u{university.number:02d}.province-demo.example",
                        user_id,
                    )  # fmt: skip

    # Accounts first: each person names theirs.
    users_written = 0
    batch = 100_000
    person_source = person_rows()
    people_written = 0
    while True:
        rows.clear()
        chunk = list(itertools.islice(person_source, batch))
        if not chunk:
            break
        users_written += users.write(
            (user_id, staff_no, name, unusable_password, True) for user_id, staff_no, name in rows
        )
        people_written += people.write(chunk)
        tokens.write(
            (user_id, "province load test", api_token_digest(province_token(seed, staff_no)))
            for user_id, staff_no, _name in rows
        )
    profile_ids = ids_reserve(TalentProfile, len(teachers))
    chosen = [rng.sample(codes, k=min(len(codes), rng.choice((1, 1, 2)))) for _, codes in teachers]
    expertise = expertise_by_discipline()
    # Its own stream: the expertise drawn does not move the rest of the province.
    words_rng = random.Random(seed + 1)
    profiles.write(
        (profile_id, person_id, *made_up_expertise(words_rng, expertise, codes), rng.random() < 0.3)
        for profile_id, (person_id, _), codes in zip(profile_ids, teachers, chosen, strict=True)
    )
    links = disciplines.write(
        (profile_id, code)
        for profile_id, codes in zip(profile_ids, chosen, strict=True)
        for code in codes
    )
    return unit_of, {
        "people": people_written,
        "accounts": users_written,
        "profiles": len(teachers),
        "discipline_links": links,
    }


def expertise_by_discipline():
    """Discipline code → (expertise keywords, research fields), from the demo university's
    made-up expertise; disciplines it has none for get no words."""
    found = {}
    for codes, keywords, fields in EXPERTISE.values():
        for code in codes:
            words, names = found.setdefault(code, ([], []))
            words.extend(word for word in keywords if word not in words)
            names.extend(name for name in fields if name not in names)
    return found


def made_up_expertise(rng, expertise, codes):
    """(research fields, keywords, works, search text) of a teacher in `codes`."""
    words = [word for code in codes for word in expertise.get(code, ([], []))[0]]
    names = [name for code in codes for name in expertise.get(code, ([], []))[1]]
    if not words:
        return "", "", "", ""
    keywords = rng.sample(words, k=min(len(words), rng.randint(2, 4)))
    fields = "、".join(rng.sample(names, k=min(len(names), 2)))
    works = "\n".join(rng.choice(WORK_TEMPLATES).format(kw=word) for word in keywords[:2])
    joined = "、".join(keywords)
    return fields, joined, works, "\n".join([joined, fields, works, ""]).lower()


SHARING_SHARE = 0.7
WAITING_REQUESTS = 4
NAMED_REQUESTS = 4


def open_expert_sharing(rng, universities):
    """Most universities lend their experts to the province's requests; some keep to their own."""
    sharing = [university.unit.pk for university in universities if rng.random() < SHARING_SHARE]
    Unit.objects.filter(pk__in=sharing).update(shares_experts=True)
    return len(sharing)


# Every fourth university (the third, the seventh, …) lets the province admin read its people's
# records; the rest show the province their counts only.
DETAILS_SHARED_EVERY = 4


def open_detail_sharing(universities):
    sharing = [u.unit.pk for u in universities if u.number % DETAILS_SHARED_EVERY == 3]
    Unit.objects.filter(pk__in=sharing).update(shares_details=True)
    return len(sharing)


def ask_for_help(rng, universities):
    """A morning's requests from the province's enterprises and farmers, through the public
    form's service: some name the university they hope for, the rest wait for the province to
    route them."""
    asks = rng.sample(ASKS, k=min(len(ASKS), WAITING_REQUESTS + NAMED_REQUESTS))
    for number, ask in enumerate(asks):
        named = number >= WAITING_REQUESTS
        ask_submit(rng, ask, university=rng.choice(universities).unit if named else None)
    return len(asks)


PROVINCE_ADMIN_USERNAME = "province"


def grant_admins(root, universities):
    """Each university's first office worker administers it (组织部), and an account of the
    province's own (no 工号: the committee is not a university) oversees them all; all sign in
    with the demo password. Returns the universities' admins' 工号."""
    password = make_password(DEMO_PASSWORD)
    overseer = User.objects.create(
        username=PROVINCE_ADMIN_USERNAME, first_name="省委教育工委", password=password
    )
    RoleGrant.objects.create(user=overseer, role=Role.PROVINCE_ADMIN, unit=root)
    admins = []
    for university in universities:
        person = Person.objects.select_related("user").get(pk=university.first_person_id)
        person.user.password = password
        person.user.save(update_fields=["password"])
        RoleGrant.objects.create(user=person.user, role=Role.UNIT_ADMIN, unit=university.unit)
        admins.append(person.staff_no)
    return admins


def write_consents(first_user_id, count, at):
    """Everyone agreed to the check-in's notices (health and whereabouts) before it began; each
    consent has the decision that gave it, copied in one statement."""
    purposes = (Purpose.HEALTH, Purpose.WHEREABOUTS)
    notices = {
        notice.purpose: notice.pk
        for notice in ConsentNotice.objects.filter(purpose__in=purposes, version=1)
    }
    ConsentNotice.objects.filter(pk__in=notices.values()).update(
        published_at=at - datetime.timedelta(days=1)
    )
    consent_ids = ids_reserve(Consent, count * len(purposes))
    consents = TableWriter(
        Consent, ["id", "user_id", "purpose", "status", "notice_id", "decided_at"]
    )
    written = consents.write(
        (consent_id, user_id, purpose, Consent.Status.GIVEN, notices[purpose], at)
        for consent_id, (user_id, purpose) in zip(
            consent_ids,
            itertools.product(range(first_user_id, first_user_id + count), purposes),
            strict=True,
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {ConsentDecision._meta.db_table}
                (consent_id, user_id, username, purpose, notice_id, from_status, to_status, via, at)
            SELECT c.id, c.user_id, u.username, c.purpose, c.notice_id, '', c.status, %s,
                c.decided_at
            FROM {Consent._meta.db_table} c JOIN {User._meta.db_table} u ON u.id = c.user_id
            WHERE c.id BETWEEN %s AND %s""",
            [ConsentDecision.Via.PAGE, consent_ids.start, consent_ids.stop - 1],
        )
    return written


CHECKIN_COLUMNS = [
    "id", "campaign_id", "person_id", "unit_id", "day", "region_id", "on_campus", "temperature",
    "symptoms", "visited_risk_area", "contact", "isolation", "health_code", "vaccination",
    "pledged", "fever", "alert_reasons", "submitted_at", "updated_at",
]  # fmt: skip


def write_checkins(rng, universities, unit_of, campaign, today):
    """The 14 days before today: about 97 in 100 report each day, between 7 and 9:30 in the
    morning; a few have a fever on the last two days, each with an open alert. Today is left
    to the load test. Written a university's day at a time, so memory stays flat."""
    checkins = TableWriter(Checkin, CHECKIN_COLUMNS)
    alerts = TableWriter(
        HealthAlert, ["campaign_id", "person_id", "unit_id", "checkin_id", "day", "reasons"]
    )
    shanghai = timezone.get_current_timezone()
    written = fevers = 0
    first_id = universities[0].first_person_id
    for days_ago in range(CHECKIN_DAYS, 0, -1):
        day = today - datetime.timedelta(days=days_ago)
        seven = datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=shanghai)
        fever_possible = days_ago <= 2
        for university in universities:
            reporting = [
                university.first_person_id + offset
                for offset in range(university.people)
                if rng.random() < REPORTING_SHARE
            ]
            ids = ids_reserve(Checkin, len(reporting))
            feverish = {
                person_id
                for person_id in reporting
                if fever_possible and rng.random() < FEVER_SHARE
            }
            rows = (
                _checkin_row(rng, campaign, university, day, seven, checkin_id, person_id,
                             unit_of[person_id - first_id], person_id in feverish)
                for checkin_id, person_id in zip(ids, reporting, strict=True)
            )  # fmt: skip
            written += checkins.write(rows)
            fevers += alerts.write(
                (campaign.pk, person_id, unit_of[person_id - first_id], checkin_id, day, FEVER)
                for checkin_id, person_id in zip(ids, reporting, strict=True)
                if person_id in feverish
            )
    return {"checkins": written, "alerts": fevers}


HEALTHY_SYMPTOMS, NO_REASONS, FEVER = '["none"]', "[]", '["fever"]'


def _checkin_row(rng, campaign, university, day, seven, checkin_id, person_id, unit_id, fever):
    at = seven + datetime.timedelta(seconds=rng.randrange(9000))
    if fever:
        temperature = f"{rng.uniform(37.4, 38.9):.1f}"
    else:
        temperature = f"3{rng.choice('66667')}.{rng.randrange(10)}"
    return (
        checkin_id, campaign.pk, person_id, unit_id, day, university.region_code, True,
        temperature, HEALTHY_SYMPTOMS, False, "none", "none", "green", "booster", True, fever,
        FEVER if fever else NO_REASONS, at, at,
    )  # fmt: skip


def apportion(total, weights):
    """Whole numbers in proportion to `weights` that add up to `total` (largest remainders)."""
    shares = [total * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def build_province(*, universities, people, seed):
    rng = random.Random(seed)
    campaign, _ = Campaign.objects.get_or_create(
        name=CAMPAIGN_NAME,
        defaults={
            "starts_on": datetime.date(2020, 1, 25),
            "status": Campaign.Status.ACTIVE,
            "retention_days": 180,
        },
    )
    CheckinPolicy.objects.get_or_create(
        campaign=campaign,
        # A load test may run at any hour; no reminders to a million people from a test.
        defaults={
            "opens_at": datetime.time(0, 0),
            "deadline": datetime.time(23, 59, 59),
            "reminder_times": [],
        },
    )
    plan = plan_universities(rng, universities, people)
    root = build_unit_tree(plan)
    with loading(Person):
        unit_of, counts = write_people(rng, plan, seed)
    first_user_id = Person.objects.get(pk=plan[0].first_person_id).user_id
    today = timezone.localdate()
    first_morning = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=CHECKIN_DAYS), datetime.time(6))
    )
    counts["consents"] = write_consents(first_user_id, counts["accounts"], first_morning)
    with loading(Checkin):
        counts.update(write_checkins(rng, plan, unit_of, campaign, today))
    counts["universities"] = len(plan)
    counts["units"] = Unit.objects.count()
    counts["admins"] = grant_admins(root, plan)
    requests_rng = random.Random(seed + 2)
    counts["sharing_universities"] = open_expert_sharing(requests_rng, plan)
    counts["help_requests"] = ask_for_help(requests_rng, plan)
    counts["detail_sharing_universities"] = open_detail_sharing(plan)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM marks the loaded pages all-visible, so that the dashboards' counts are
            # index-only from the first morning instead of once autovacuum has caught up (and
            # autovacuum's catching up does not land on the first load); a test's transaction
            # allows only ANALYZE.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return counts
