"""The starting point rules, used by the first migration and whenever no rule set exists yet."""

from decimal import Decimal

FRONTLINE_MULTIPLIER = Decimal("1.5")
MONTHLY_CAP = Decimal("100")
ROLE_RULES = {
    "advisor": {"base_points": Decimal("5"), "per_hour": Decimal("0.5")},
    "technician": {
        "base_points": Decimal("5"),
        "per_hour": Decimal("1"),
        "per_person_served": Decimal("2"),
    },
    "educator": {
        "base_points": Decimal("2"),
        "per_hour": Decimal("0.5"),
        "per_person_served": Decimal("0.05"),
    },
    "vanguard": {"base_points": Decimal("2"), "per_hour": Decimal("0.5")},
    "publicist": {"base_points": Decimal("3")},
    "counsellor": {"base_points": Decimal("3"), "per_hour": Decimal("1")},
    "self_discipline": {"base_points": Decimal("0.2")},
    "caring": {"base_points": Decimal("2"), "per_item_donated": Decimal("0.01")},
}


def create_default_ruleset(ruleset_model, role_rule_model):
    ruleset = ruleset_model.objects.create(
        note="初始规则", frontline_multiplier=FRONTLINE_MULTIPLIER, monthly_cap=MONTHLY_CAP
    )
    for role, rates in ROLE_RULES.items():
        role_rule_model.objects.create(ruleset=ruleset, role=role, **rates)
    return ruleset
