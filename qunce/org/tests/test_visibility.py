from qunce.org import selectors
from qunce.org.models import Unit
from qunce.org.tests.factories import PersonFactory, Role, UserFactory, grant, unit_child


def _names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_org_admin_sees_every_unit_and_person(world):
    user = world.users.org_admin
    assert selectors.units_visible_to(user).count() == Unit.objects.count()
    assert {"甲某", "乙某"} <= _names(selectors.people_visible_to(user))


def test_unit_admin_sees_own_subtree_only(world):
    user = world.users.unit_admin_a
    assert _names(selectors.units_visible_to(user)) == {"甲学院分党委", "甲学院第一党支部"}
    people = _names(selectors.people_visible_to(user))
    assert "甲某" in people
    assert "乙某" not in people
    assert "unit_admin_b本人" not in people


def test_unit_admin_sees_units_added_deep_below_their_unit(world):
    deep = unit_child(world.branch_a, name="甲学院课题组", code="A-01-01")
    PersonFactory(unit=deep, name="深处某")
    assert "深处某" in _names(selectors.people_visible_to(world.users.unit_admin_a))
    assert "深处某" not in _names(selectors.people_visible_to(world.users.unit_admin_b))


def test_unit_code_prefix_is_not_mistaken_for_a_subtree(world):
    """Unit A's path is a prefix match on the tree path, never on the unit code."""
    lookalike = unit_child(world.root, name="甲乙联合党支部", code="A-X")
    PersonFactory(unit=lookalike, name="联合某")
    assert "联合某" not in _names(selectors.people_visible_to(world.users.unit_admin_a))


def test_admin_of_two_units_sees_both(world):
    grant(world.users.unit_admin_a, Role.UNIT_ADMIN, world.unit_b)
    world.users.unit_admin_a.__dict__.pop("_qunce_access", None)
    assert {"甲某", "乙某"} <= _names(selectors.people_visible_to(world.users.unit_admin_a))


def test_talent_sees_own_record_and_own_unit_only(world):
    user = world.users.talent
    assert _names(selectors.people_visible_to(user)) == {"talent本人"}
    assert _names(selectors.units_visible_to(user)) == {"甲学院第一党支部"}


def test_account_without_person_or_role_sees_nothing(db, world):
    user = UserFactory(username="stranger")
    assert not selectors.people_visible_to(user).exists()
    assert not selectors.units_visible_to(user).exists()


def test_counsellor_role_gives_no_view_of_people(world):
    assert _names(selectors.people_visible_to(world.users.counsellor)) == {"counsellor本人"}


def test_unit_tree_counts_include_the_subtree(world):
    units = {unit.code: unit for unit in selectors.unit_tree_with_counts(world.users.org_admin)}
    # 甲 branch: talent + 甲某; 甲 unit itself: unit_admin_a.
    assert units["A-01"].subtree_count == 2
    assert units["A"].people_count == 1
    assert units["A"].subtree_count == 3
    assert units["U"].subtree_count == 7
