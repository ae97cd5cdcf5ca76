"""The advisor's rules and ranking: one sensible step, never past a limit, history and conditions first."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.models import AdviceRule, ConditionBoost, ParameterStep
from library.tests.factories import make_library_setup
from racing import services
from racing.advisor import SYMPTOMS, Suggestion, advise, condition_tags
from racing.models import RaceDayChange
from racing.setup_params import BY_FIELD, INT, PARAMS
from racing.tests.factories import (
    SETUP,
    make_baseline,
    make_race_day,
    make_vehicle,
    racer_of,
)

pytestmark = pytest.mark.django_db

NUMERIC = [p for p in PARAMS if p.is_numeric]
TEXT = [p for p in PARAMS if not p.is_numeric]
FULL = {
    "df": 7000, "dc": 10000, "dr": 3000, "so_f": 550, "so_r": 500, "sp_f": "Silver", "sp_r": "Gold",
    "sb_f": Decimal("2.4"), "sb_r": Decimal("2.6"), "p_f": "6x1.3", "p_r": "6x1.3", "toe_o": Decimal("1"),
    "rh_f": Decimal("27"), "rh_r": Decimal("28"), "c_f": Decimal("-1.5"), "c_r": Decimal("-2"), "st_f": 3,
    "st_r": 3, "tread": "Bar Codes", "compound": "Blue", "venturi": Decimal("7.5"), "pipe": "EFRA 2113",
    "clutch": "Alu shoes, 1.1 mm springs", "bell": 14,
}  # fmt: skip


def by_parameter(suggestions: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.parameter: s for s in suggestions}


def every_symptom(setup) -> list[Suggestion]:
    """Suggestions for each symptom on its own (one symptom never hides another's)."""
    return [s for code in SYMPTOMS for s in advise(setup=setup, symptoms=[code])]


# --- the rules are data, covering every parameter ---------------------------------


def test_every_parameter_has_a_step_and_words():
    steps = {step.parameter: step for step in ParameterStep.objects.all()}
    assert set(steps) == {p.field for p in PARAMS}
    for param in NUMERIC:
        step = steps[param.field]
        assert step.step or step.ladder, param.field
        low, high = param.bounds
        for value in step.ladder_values():
            assert low <= value <= high, (param.field, value)
    for param in TEXT:
        assert steps[param.field].step is None and steps[param.field].ladder == ""


def test_every_parameter_has_rules_and_every_numeric_one_both_ways():
    directions: dict[str, set[int]] = {}
    for parameter, direction in AdviceRule.objects.values_list("parameter", "direction"):
        directions.setdefault(parameter, set()).add(direction)
    assert set(directions) == {p.field for p in PARAMS}
    assert [p.field for p in NUMERIC if directions[p.field] != {1, -1}] == []


def test_every_symptom_has_rules_and_every_reason_is_one_short_sentence():
    for code in SYMPTOMS:
        assert AdviceRule.objects.filter(symptom=code).count() >= 3, code
    for reason in AdviceRule.objects.values_list("reason", flat=True):
        assert reason.endswith(".") and reason.count(". ") == 0 and len(reason) <= 160, reason


def test_the_core_handling_symptoms_are_offered():
    assert {
        "entry_understeer", "mid_understeer", "exit_understeer", "entry_oversteer", "mid_oversteer",
        "exit_oversteer", "traction_roll", "unsettled_on_bumps",
    } <= set(SYMPTOMS)  # fmt: skip


def test_a_rule_edited_in_the_admin_changes_the_advice():
    first = advise(setup=FULL, symptoms=["entry_understeer"])[0]
    assert first.parameter == "df"
    AdviceRule.objects.filter(symptom="entry_understeer", parameter="toe_o").update(weight=10)
    assert advise(setup=FULL, symptoms=["entry_understeer"])[0].parameter == "toe_o"


def test_unknown_symptom_is_refused():
    with pytest.raises(ValueError, match="Unknown symptom 'flies'"):
        advise(setup=FULL, symptoms=["flies"])


def test_no_symptom_no_advice(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert advise(setup=FULL, symptoms=[]) == []


# --- one sensible step -------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "current", "direction", "expected"),
    [
        ("df", 7000, -1, 6000),
        ("df", 7000, 1, 8000),
        ("df", 7500, 1, 8000),  # off the ladder: the next size up
        ("df", 10000, 1, 12500),
        ("dc", 100, -1, None),  # at its minimum
        ("dr", 1_000_000, 1, None),  # at its maximum
        ("so_f", 550, -1, 500),
        ("so_r", 1000, 1, 1100),  # 100 cSt steps above 1,000
        ("so_r", 50, -1, None),
        ("sb_f", Decimal("2.4"), 1, Decimal("2.5")),
        ("sb_r", Decimal("4.95"), 1, Decimal("5")),  # a smaller step up to the limit
        ("sb_r", Decimal("0"), -1, None),
        ("toe_o", Decimal("1"), 1, Decimal("1.5")),
        ("toe_o", Decimal("-5"), -1, None),
        ("c_f", Decimal("-1.5"), -1, Decimal("-2")),
        ("c_r", Decimal("3"), 1, None),
        ("rh_f", Decimal("27"), -1, Decimal("26")),
        ("rh_r", Decimal("60"), 1, None),
        ("st_f", 3, 1, 4),
        ("st_r", 1, -1, None),
        ("venturi", Decimal("7.5"), 1, Decimal("8")),
        ("venturi", Decimal("12"), 1, None),
        ("bell", 14, -1, 13),
        ("bell", 20, 1, None),
    ],
)
def test_one_step(parameter, current, direction, expected):
    from advisor.advice import next_value

    step = ParameterStep.objects.get(parameter=parameter)
    assert next_value(BY_FIELD[parameter], step, current, direction) == expected


@pytest.mark.parametrize("param", NUMERIC, ids=lambda p: p.field)
def test_a_parameter_at_its_maximum_is_never_suggested_upward(param):
    setup = {**FULL, param.field: param.max}
    ups = [s for s in every_symptom(setup) if s.parameter == param.field and s.direction > 0]
    assert ups == []
    downs = [s for s in every_symptom(setup) if s.parameter == param.field and s.direction < 0]
    assert all(param.min <= s.new_value < param.max for s in downs)


@pytest.mark.parametrize("param", NUMERIC, ids=lambda p: p.field)
def test_a_parameter_at_its_minimum_is_never_suggested_downward(param):
    setup = {**FULL, param.field: param.min}
    assert [s for s in every_symptom(setup) if s.parameter == param.field and s.direction < 0] == []


@settings(max_examples=40, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            p.field: (
                st.integers(*map(int, p.bounds))
                if p.kind == INT
                else st.decimals(*p.bounds, places=2, allow_nan=False, allow_infinity=False)
            )
            for p in NUMERIC
        }
    ),
    st.lists(st.sampled_from(sorted(SYMPTOMS)), min_size=1, max_size=3),
)
def test_every_suggestion_is_one_step_the_stated_way_inside_the_range(values, symptoms):
    for suggestion in advise(setup=values, symptoms=symptoms):
        param = suggestion.param
        if param.is_numeric:
            low, high = param.bounds
            assert suggestion.new_value is not None
            assert low <= suggestion.new_value <= high
            assert (suggestion.new_value - values[param.field]) * suggestion.direction > 0
            assert suggestion.old_value == values[param.field]


def test_text_parameters_are_advised_in_words():
    suggestions = by_parameter(advise(setup=FULL, symptoms=["unsettled_on_bumps", "traction_roll"]))
    pistons = suggestions["p_f"]
    assert pistons.new_value is None and pistons.direction == -1
    assert pistons.advice == "Front pistons with one size larger (or more) holes (now 6x1.3)"
    assert suggestions["compound"].advice == "A harder compound (one step) (now Blue)"


def test_a_numeric_parameter_without_a_value_is_advised_in_words():
    suggestion = by_parameter(advise(setup={}, symptoms=["entry_understeer"]))["df"]
    assert suggestion.new_value is None
    assert suggestion.advice.startswith("Thinner front diff oil (the setup has no front diff oil yet")


def test_a_suggestion_is_concrete_with_its_reason_and_sources():
    df = by_parameter(advise(setup=FULL, symptoms=["entry_understeer"]))["df"]
    assert (df.direction, df.old_value, df.new_value) == (-1, 7000, 6000)
    assert df.advice == "Thinner front diff oil: 7000 → 6000 cSt"
    assert df.reason.startswith("A thinner front diff lets the front wheels turn")
    assert [d.title for d in df.sources] == ["Diff oils: front, centre and rear"]
    assert (df.tried, df.kept, df.history) == (0, 0, "")


def test_setup_may_be_an_object_with_the_fields(user):
    vehicle = make_vehicle(racer_of(user))
    version = make_baseline(vehicle)
    df = by_parameter(advise(setup=version, symptoms=["entry_understeer"]))["df"]
    assert df.new_value == 6000


def test_values_given_as_text_are_read():
    df = by_parameter(advise(setup={"df": " 7000 ", "sb_f": "oops"}, symptoms=["entry_understeer"]))
    assert df["df"].new_value == 6000 and df["sb_f"].new_value is None


def test_opposite_directions_for_two_symptoms_keep_the_stronger_one():
    suggestions = advise(setup=FULL, symptoms=["entry_understeer", "entry_oversteer"])
    assert len({s.parameter for s in suggestions}) == len(suggestions)
    toe = by_parameter(suggestions)["toe_o"]
    assert toe.score == 5


def test_a_change_for_two_symptoms_adds_up_and_names_both():
    suggestion = by_parameter(advise(setup=FULL, symptoms=["traction_roll", "nervous_on_high_grip"]))["sb_f"]
    assert suggestion.symptoms == ["traction_roll", "nervous_on_high_grip"]
    assert suggestion.symptom == "traction_roll" and suggestion.score == 7 + 4


def test_advice_reads_a_bounded_number_of_queries(user, django_assert_max_num_queries):
    racer = racer_of(user)
    race_day = make_race_day(racer, track="Genk", grip="high")
    make_library_setup(track="Genk")
    with django_assert_max_num_queries(6):
        advise(setup=race_day, symptoms=list(SYMPTOMS), conditions=race_day, racer=racer)


# --- conditions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "tags"),
    [
        ({"grip": "high"}, {"high_grip"}),
        ({"grip": "Blue groove"}, {"high_grip"}),
        ({"grip": "low", "surface": "dusty clay"}, {"low_grip"}),
        ({"surface": "clay", "weather": "light rain"}, {"wet"}),
        ({"surface": "rough, rutted dirt"}, {"rough"}),
        ({"temperature": Decimal("31.5")}, {"hot"}),
        ({"temperature": "8"}, {"cold"}),
        ({"temperature": "20", "grip": "medium"}, set()),
        ({"temperature": "warm"}, set()),
        (None, set()),
    ],
)
def test_condition_tags(conditions, tags):
    assert condition_tags(conditions) == tags


def test_high_grip_raises_traction_roll_fixes_and_says_why():
    plain = advise(setup=FULL, symptoms=["traction_roll"])
    grippy = advise(setup=FULL, symptoms=["traction_roll"], conditions={"grip": "high"})
    assert plain[0].parameter == "sb_f"
    assert grippy[0].parameter == "compound" and grippy[0].score == 6 + 3
    assert grippy[0].reason == (
        "A harder compound lets the tyres slide a little before the car tips. "
        "On high grip the tyres bite harder and the car rolls more, so a harder compound comes first."
    )
    assert "On high grip" not in plain[0].reason


def test_a_condition_can_lower_a_change():
    cold = by_parameter(advise(setup=FULL, symptoms=["entry_understeer"], conditions={"grip": "high"}))
    assert cold["toe_o"].score == 5 - 2
    assert cold["toe_o"].reason.endswith("On high grip more toe-out makes the car twitchy.")


def test_a_boost_edited_in_the_admin_changes_the_ranking():
    ConditionBoost.objects.filter(condition="high_grip", parameter="compound", direction=1).update(boost=-5)
    grippy = advise(setup=FULL, symptoms=["traction_roll"], conditions={"grip": "high"})
    assert grippy[0].parameter == "sb_f"


# --- what this racer kept ---------------------------------------------------------


@pytest.fixture
def racer(user):
    return racer_of(user)


def record(racer, *, parameter, old, new, status, symptom="traction_roll", track="Genk"):
    race_day = make_race_day(racer, track=track)
    change = services.race_day_change_add(
        race_day=race_day, parameter=parameter, old_value=old, new_value=new, status=status
    )
    RaceDayChange.objects.filter(pk=change.pk).update(symptom=symptom)
    services.race_day_close(race_day=race_day)
    return change


def test_a_change_the_racer_kept_ranks_first_and_says_how_often(racer):
    record(racer, parameter="rh_r", old="28", new="27", status="kept")
    record(racer, parameter="rh_r", old="27", new="26", status="kept")
    record(racer, parameter="rh_r", old="26", new="25", status="reverted")
    first = advise(setup=FULL, symptoms=["traction_roll"], racer=racer)[0]
    assert first.parameter == "rh_r" and first.direction == -1
    assert (first.tried, first.kept) == (3, 2)
    assert first.history == "kept 2 of 3 times"


def test_a_reverted_change_ranks_below_one_never_tried(racer):
    record(racer, parameter="sb_f", old="2.4", new="2.5", status="reverted")
    suggestions = advise(setup=FULL, symptoms=["traction_roll"], racer=racer)
    assert suggestions[-1].parameter == "sb_f"
    assert suggestions[-1].history == "reverted 1 of 1 time"
    assert suggestions[0].parameter == "rh_f"  # the best of the never-tried


def test_history_counts_only_the_same_direction_symptom_and_racer(racer, other_user):
    record(racer, parameter="sb_f", old="2.5", new="2.4", status="kept")  # the other way
    record(racer, parameter="sb_f", old="2.4", new="2.5", status="kept", symptom="mid_understeer")
    record(racer, parameter="sb_f", old="2.4", new="2.5", status="planned")
    record(racer_of(other_user), parameter="sb_f", old="2.4", new="2.5", status="kept")
    sb_f = by_parameter(advise(setup=FULL, symptoms=["traction_roll"], racer=racer))["sb_f"]
    assert (sb_f.tried, sb_f.kept) == (0, 0)


def test_text_parameter_history_counts_any_change_of_it(racer):
    record(racer, parameter="compound", old="Blue", new="Silver", status="kept")
    first = advise(setup=FULL, symptoms=["traction_roll"], racer=racer)[0]
    assert first.parameter == "compound" and first.history == "kept 1 of 1 time"


def test_more_often_kept_ranks_higher(racer):
    record(racer, parameter="rh_f", old="27", new="26", status="kept")
    record(racer, parameter="rh_f", old="27", new="26", status="reverted")
    record(racer, parameter="sb_r", old="2.6", new="2.7", status="kept")
    suggestions = advise(setup=FULL, symptoms=["traction_roll"], racer=racer)
    assert [s.parameter for s in suggestions[:2]] == ["sb_r", "rh_f"]


# --- what the community runs ---------------------------------------------------------


def test_library_setups_at_the_track_show_their_median():
    for oil in (6000, 7000, 9000):
        make_library_setup(track="Genk", condition="dry", df=oil)
    make_library_setup(track="Genk", condition="wet", df=20000)
    make_library_setup(track="Lommel", condition="dry", df=100000)
    df = by_parameter(
        advise(setup=FULL, symptoms=["entry_understeer"], conditions={"track": "genk", "weather": "Dry"})
    )["df"]
    assert df.community.value == 7000 and df.community.count == 3
    assert df.community.where == "genk, similar conditions"
    assert df.community.text == "median 7000 cSt of 3 setups"


def test_without_similar_conditions_the_whole_track_counts():
    make_library_setup(track="Genk", condition="wet", sb_f=Decimal("2.2"))
    make_library_setup(track="Genk", condition="", sb_f=Decimal("2.5"))
    sb_f = by_parameter(
        advise(setup=FULL, symptoms=["traction_roll"], conditions={"track": "Genk", "grip": "x"})
    )["sb_f"]
    assert sb_f.community.value == Decimal("2.35") and sb_f.community.where == "Genk"


def test_text_parameters_show_the_most_run_value():
    make_library_setup(track="Genk", compound="Blue")
    make_library_setup(track="Genk", compound="Silver")
    make_library_setup(track="Genk", compound="Silver")
    compound = by_parameter(advise(setup=FULL, symptoms=["traction_roll"], conditions={"track": "Genk"}))[
        "compound"
    ]
    assert compound.community.text == "Silver on 2 of 3 setups"


def test_no_track_no_community_evidence():
    assert all(s.community is None for s in advise(setup=FULL, symptoms=["traction_roll"]))


def test_baseline_setup_from_factories_gets_advice():
    assert advise(setup=SETUP, symptoms=["exit_oversteer"])[0].parameter == "dc"
