import pytest

from qunce.codes.loading import load_code_lists, read_rows
from qunce.codes.models import Discipline, Industry, Region


@pytest.mark.django_db
def test_migrations_load_the_official_totals():
    levels = Discipline.Level
    assert Discipline.objects.filter(level=levels.CATEGORY).count() == 14
    assert Discipline.objects.filter(level=levels.FIRST_LEVEL).count() == 117
    assert Discipline.objects.filter(level=levels.PROFESSIONAL).count() == 67
    assert Industry.objects.filter(level=Industry.Level.SECTION).count() == 20
    assert Industry.objects.filter(level=Industry.Level.DIVISION).count() == 97
    assert Industry.objects.filter(level=Industry.Level.GROUP).count() == 473
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 34
    assert Region.objects.filter(parent_id="210000").count() == 14
    assert Region.objects.filter(level=Region.Level.COUNTY).count() == 100


@pytest.mark.django_db
def test_known_codes_sit_under_their_parents():
    assert Discipline.objects.get(code="0806").name == "冶金工程"
    assert Discipline.objects.get(code="0806").parent.name == "工学"
    assert Discipline.objects.get(code="0854").name == "电子信息"
    assert Discipline.objects.get(code="0856").name == "材料与化工"
    assert Industry.objects.get(code="31").name == "黑色金属冶炼和压延加工业"
    assert Industry.objects.get(code="31").parent_id == "C"
    assert Region.objects.get(code="210300").name == "鞍山市"
    assert Region.objects.get(code="210302").parent_id == "210300"


@pytest.mark.django_db
def test_reloading_changes_nothing():
    before = Discipline.objects.count(), Industry.objects.count(), Region.objects.count()
    load_code_lists(discipline_model=Discipline, industry_model=Industry, region_model=Region)
    assert (Discipline.objects.count(), Industry.objects.count(), Region.objects.count()) == before


def test_each_shipped_file_names_its_source_and_edition():
    from qunce.codes.loading import DATA_DIR

    for path in DATA_DIR.glob("*.csv"):
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("#"), path.name
        assert any("Edition" in line for line in head), path.name
        assert read_rows(path.name), path.name


@pytest.mark.django_db
def test_professional_degree_codes_follow_the_catalogue_rule():
    """In the 2022 catalogue a 4-digit code whose third digit is 5 or more is professional."""
    for discipline in Discipline.objects.exclude(level=Discipline.Level.CATEGORY):
        professional = int(discipline.code[2]) >= 5
        expected = Discipline.Level.PROFESSIONAL if professional else Discipline.Level.FIRST_LEVEL
        assert discipline.level == expected, discipline


def test_region_options_choose_the_selected_code_and_escape_names():
    from qunce.codes.templatetags.regions import region_options

    regions = [("210000", "辽宁省"), ("990000", "<b>某地</b>")]
    assert str(region_options(regions, "210000")) == (
        '<option value="210000" selected>辽宁省</option>'
        '<option value="990000">&lt;b&gt;某地&lt;/b&gt;</option>'
    )
    assert " selected" not in str(region_options(regions, None))
    assert " selected" not in str(region_options(regions, ""))


@pytest.mark.django_db
def test_the_place_selects_come_from_the_kept_code_list_after_the_first_read(
    django_assert_num_queries,
):
    from qunce.codes.selectors import cascade_options, forget_code_list

    forget_code_list()
    with django_assert_num_queries(1):
        provinces, cities, counties = cascade_options("210000", "210200")
    assert provinces[0] == ("210000", "辽宁省") and len(provinces) == 34
    assert provinces[1:] == sorted(provinces[1:])
    assert ("210200", "大连市") in cities and len(cities) == 14
    assert ("210211", "甘井子区") in counties
    with django_assert_num_queries(0):
        assert cascade_options("210000", "210200") == (provinces, cities, counties)
    # Nothing chosen: the provinces alone, and no query for the rest.
    with django_assert_num_queries(0):
        assert cascade_options(None, "") == (provinces, [], [])


@pytest.mark.django_db
def test_a_made_up_code_lists_nothing_and_costs_no_query(django_assert_num_queries):
    from qunce.codes.selectors import children_options, region_by_code

    assert children_options("210000")  # the list is read
    with django_assert_num_queries(0):
        assert children_options("999999") == []
        assert region_by_code("999999") is None
        assert children_options("21'; --") == []


@pytest.mark.django_db
def test_loading_the_code_lists_again_forgets_the_kept_list(django_assert_num_queries):
    from io import StringIO

    from django.core.management import call_command

    from qunce.codes.selectors import cascade_options

    kept = cascade_options("210000", "210200")
    call_command("load_codes", stdout=StringIO())
    with django_assert_num_queries(1):
        assert cascade_options("210000", "210200") == kept


@pytest.mark.django_db
def test_the_cascade_checks_each_level_and_its_parent_from_the_kept_code_list(
    django_assert_num_queries,
):
    from qunce.codes.forms import RegionCascadeForm

    def cleaned(**data):
        form = RegionCascadeForm(data)
        return form.cleaned_data.get("region") if form.is_valid() else form.errors

    assert cleaned(province="210000", city="210200", county="210211").name == "甘井子区"
    with django_assert_num_queries(0):
        assert cleaned(province="210000", city="210200", county="210211").pk == "210211"
        assert cleaned(province="210000").pk == "210000"
    assert "city" in cleaned(province="110000", city="210200")  # Dalian is not in Beijing
    assert "county" in cleaned(province="210000", city="210100", county="210211")
    assert "province" in cleaned(province="210200")  # a city is not a province
    assert "province" in cleaned(province="999999")
    assert "province" in cleaned(province="21'; --")
