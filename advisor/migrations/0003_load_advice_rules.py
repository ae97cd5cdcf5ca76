"""The advisor's starting rules: a step for each of the 24 parameters, the symptom rules, the condition boosts.

Data, not code: staff tune every row in the admin afterwards. Inserted in
three ``bulk_create`` calls; reversing deletes exactly these rows (by their
natural keys), leaving any that staff added.
"""

from django.db import migrations
from django.db.models import Q

UP, DOWN = 1, -1

# fmt: off
DIFF_LADDER = "100,200,300,500,1000,1500,2000,3000,4000,5000,6000,7000,8000,10000,12500,15000,20000,30000,50000,100000,200000,300000,500000,1000000"
SHOCK_OIL_LADDER = ",".join(str(v) for v in [*range(50, 1001, 50), *range(1100, 2001, 100), *range(2500, 5001, 500)])

# parameter, topic, step, ladder, words for an increase, words for a decrease
STEPS = [
    ("df",       "diffs",           None, DIFF_LADDER,      "thicker front diff oil",                  "thinner front diff oil"),
    ("dc",       "diffs",           None, DIFF_LADDER,      "thicker centre diff oil",                 "thinner centre diff oil"),
    ("dr",       "diffs",           None, DIFF_LADDER,      "thicker rear diff oil",                   "thinner rear diff oil"),
    ("so_f",     "shock_oil",       None, SHOCK_OIL_LADDER, "thicker front shock oil",                 "thinner front shock oil"),
    ("so_r",     "shock_oil",       None, SHOCK_OIL_LADDER, "thicker rear shock oil",                  "thinner rear shock oil"),
    ("sp_f",     "springs",         None, "",               "a stiffer front spring (one rate step)",  "a softer front spring (one rate step)"),
    ("sp_r",     "springs",         None, "",               "a stiffer rear spring (one rate step)",   "a softer rear spring (one rate step)"),
    ("sb_f",     "sway_bars",       "0.1", "",              "a thicker front sway bar",                "a thinner front sway bar"),
    ("sb_r",     "sway_bars",       "0.1", "",              "a thicker rear sway bar",                 "a thinner rear sway bar"),
    ("p_f",      "shock_oil",       None, "",               "front pistons with one size smaller (or fewer) holes",
                                                             "front pistons with one size larger (or more) holes"),
    ("p_r",      "shock_oil",       None, "",               "rear pistons with one size smaller (or fewer) holes",
                                                             "rear pistons with one size larger (or more) holes"),
    ("toe_o",    "toe",             "0.5", "",              "more front toe-out",                      "less front toe-out"),
    ("rh_f",     "ride_height",     "1",  "",               "a higher front ride height",              "a lower front ride height"),
    ("rh_r",     "ride_height",     "1",  "",               "a higher rear ride height",               "a lower rear ride height"),
    ("c_f",      "camber",          "0.5", "",              "less negative front camber",              "more negative front camber"),
    ("c_r",      "camber",          "0.5", "",              "less negative rear camber",               "more negative rear camber"),
    ("st_f",     "shock_positions", "1",  "",               "the front shocks one tower hole further in",  "the front shocks one tower hole further out"),
    ("st_r",     "shock_positions", "1",  "",               "the rear shocks one tower hole further in",   "the rear shocks one tower hole further out"),
    ("tread",    "tyres",           None, "",               "a tread with bigger, more open pins",     "a tread with smaller, closer pins"),
    ("compound", "tyres",           None, "",               "a harder compound (one step)",            "a softer compound (one step)"),
    ("venturi",  "engine",          "0.5", "",              "a bigger venturi",                        "a smaller venturi"),
    ("pipe",     "engine",          None, "",               "a pipe built for top-end power",          "a pipe built for bottom-end torque"),
    ("clutch",   "engine",          None, "",               "a harder-engaging clutch (stiffer springs or lighter shoes)",
                                                             "a smoother clutch (softer springs or heavier shoes)"),
    ("bell",     "engine",          "1",  "",               "a bigger clutch bell (one tooth more)",   "a smaller clutch bell (one tooth less)"),
]

# symptom, parameter, direction, weight (1-10), reason
RULES = [
    ("entry_understeer", "df",    DOWN, 8, "A thinner front diff lets the front wheels turn at their own speeds off power, so the car turns in more."),
    ("entry_understeer", "so_f",  DOWN, 5, "Thinner front shock oil moves weight onto the front tyres faster as you turn in."),
    ("entry_understeer", "toe_o", UP,   5, "More toe-out sharpens the car's turn-in."),
    ("entry_understeer", "sp_f",  DOWN, 4, "A softer front spring lets the front load up and grip on entry."),
    ("entry_understeer", "rh_r",  UP,   3, "Raising the rear moves weight forward as you brake and turn in."),
    ("entry_understeer", "sb_f",  DOWN, 3, "A thinner front bar lets the front roll and grip more."),
    ("entry_understeer", "st_f",  UP,   2, "Laying the front shocks down softens the front's first movement, so it bites sooner."),
    ("entry_understeer", "c_f",   DOWN, 2, "More negative front camber gives the front tyres more side grip in the corner."),

    ("mid_understeer",   "sb_f",  DOWN, 7, "A thinner front bar lets the front roll and grip more through the corner."),
    ("mid_understeer",   "dr",    DOWN, 6, "A thinner rear diff lets the car rotate in the middle of the corner."),
    ("mid_understeer",   "sb_r",  UP,   5, "A thicker rear bar takes a little rear grip away, so the car rotates."),
    ("mid_understeer",   "c_f",   DOWN, 4, "More negative front camber keeps the loaded front tyre flat as the car rolls."),
    ("mid_understeer",   "st_f",  UP,   3, "Front shocks further in give the front more roll and grip mid-corner."),
    ("mid_understeer",   "df",    DOWN, 3, "A thinner front diff helps the front rotate through the corner."),
    ("mid_understeer",   "sp_f",  DOWN, 3, "A softer front spring gives the front more grip."),
    ("mid_understeer",   "rh_r",  UP,   2, "A higher rear puts more weight on the front tyres."),

    ("exit_understeer",  "dc",    UP,   8, "A thicker centre diff sends more drive to the front on power, pulling the car out of the corner."),
    ("exit_understeer",  "df",    UP,   6, "A thicker front diff pulls the car through the corner on power."),
    ("exit_understeer",  "so_r",  UP,   4, "Thicker rear shock oil slows rear squat, keeping weight on the front as you accelerate."),
    ("exit_understeer",  "sp_r",  UP,   3, "A stiffer rear spring squats less, so the front keeps its grip on power."),
    ("exit_understeer",  "toe_o", DOWN, 3, "Less toe-out gives steadier, stronger steering on power."),
    ("exit_understeer",  "rh_r",  UP,   2, "A higher rear gives more on-power steering."),

    ("entry_oversteer",  "dr",    UP,   7, "A thicker rear diff keeps the rear settled on the brakes and into the corner."),
    ("entry_oversteer",  "sb_r",  DOWN, 5, "A thinner rear bar gives the rear more side grip."),
    ("entry_oversteer",  "toe_o", DOWN, 5, "Less toe-out calms a car that turns in too hard."),
    ("entry_oversteer",  "so_f",  UP,   4, "Thicker front shock oil slows weight moving forward, so the rear keeps its load on entry."),
    ("entry_oversteer",  "sp_r",  DOWN, 3, "A softer rear spring helps the rear grip."),
    ("entry_oversteer",  "c_r",   DOWN, 3, "More negative rear camber gives the rear more side grip."),
    ("entry_oversteer",  "st_r",  UP,   3, "Rear shocks further in give the rear more roll and grip."),
    ("entry_oversteer",  "rh_r",  DOWN, 2, "A lower rear keeps more weight on the rear tyres."),
    ("entry_oversteer",  "df",    UP,   2, "A thicker front diff takes the edge off the car's turn-in."),
    ("entry_oversteer",  "c_f",   UP,   2, "Less negative front camber takes a little front grip away, calming the turn-in."),

    ("mid_oversteer",    "sb_r",  DOWN, 7, "A thinner rear bar gives the rear more side grip mid-corner."),
    ("mid_oversteer",    "c_r",   DOWN, 5, "More negative rear camber keeps the loaded rear tyre flat in the corner."),
    ("mid_oversteer",    "st_r",  UP,   4, "Rear shocks further in let the rear roll and grip more."),
    ("mid_oversteer",    "sp_r",  DOWN, 4, "A softer rear spring gives the rear more grip."),
    ("mid_oversteer",    "dr",    UP,   4, "A thicker rear diff makes the rear steadier through the corner."),
    ("mid_oversteer",    "sb_f",  UP,   3, "A thicker front bar takes a little steering away, balancing the car."),
    ("mid_oversteer",    "rh_r",  DOWN, 2, "A lower rear keeps more weight on the rear tyres."),

    ("exit_oversteer",   "dc",    DOWN, 7, "A thinner centre diff makes the power delivery smoother and more forgiving on exit."),
    ("exit_oversteer",   "dr",    UP,   6, "A thicker rear diff gives straighter, more stable drive out of the corner."),
    ("exit_oversteer",   "so_r",  DOWN, 5, "Thinner rear shock oil lets the rear squat and load the rear tyres on power."),
    ("exit_oversteer",   "sp_r",  DOWN, 4, "A softer rear spring helps the rear find traction on power."),
    ("exit_oversteer",   "sb_r",  DOWN, 4, "A thinner rear bar gives the rear more grip on power."),
    ("exit_oversteer",   "clutch", DOWN, 3, "A smoother clutch feeds the power in gently so the rear tyres can hook up."),
    ("exit_oversteer",   "c_r",   UP,   3, "Less negative rear camber puts more tread down for forward traction."),
    ("exit_oversteer",   "rh_r",  DOWN, 2, "A lower rear gives more rear traction on power."),
    ("exit_oversteer",   "bell",  UP,   2, "Taller gearing softens the hit of power out of the corner."),

    ("lacks_rear_traction", "so_r",     DOWN, 6, "Thinner rear shock oil lets the rear squat and load the tyres as you accelerate."),
    ("lacks_rear_traction", "sp_r",     DOWN, 5, "A softer rear spring lets the rear find grip on power."),
    ("lacks_rear_traction", "compound", DOWN, 5, "A softer compound grips more on a slippery track."),
    ("lacks_rear_traction", "c_r",      UP,   4, "Less negative rear camber puts more tread down for forward traction."),
    ("lacks_rear_traction", "clutch",   DOWN, 4, "A smoother clutch lets the tyres hook up instead of spinning."),
    ("lacks_rear_traction", "bell",     UP,   3, "Taller gearing softens the power delivery, so the rear spins less."),
    ("lacks_rear_traction", "tread",    UP,   3, "Bigger, more open pins dig into a loose surface."),
    ("lacks_rear_traction", "sb_r",     DOWN, 3, "A thinner rear bar lets each rear wheel find grip on its own."),
    ("lacks_rear_traction", "rh_r",     DOWN, 2, "A lower rear keeps more weight on the rear tyres."),
    ("lacks_rear_traction", "st_r",     UP,   2, "Rear shocks further in make the rear softer and grippier."),

    ("traction_roll",    "sb_f",     UP,   7, "A thicker front bar resists the roll that tips the car over."),
    ("traction_roll",    "rh_f",     DOWN, 6, "A lower front puts the centre of gravity lower, so the car is harder to tip."),
    ("traction_roll",    "rh_r",     DOWN, 6, "A lower rear puts the centre of gravity lower, so the car is harder to tip."),
    ("traction_roll",    "compound", UP,   6, "A harder compound lets the tyres slide a little before the car tips."),
    ("traction_roll",    "sb_r",     UP,   5, "A thicker rear bar reduces roll."),
    ("traction_roll",    "tread",    DOWN, 5, "Smaller, closer pins are less likely to dig in and trip the car."),
    ("traction_roll",    "st_f",     DOWN, 3, "Standing the front shocks up (further out) reduces front roll."),
    ("traction_roll",    "sp_f",     UP,   3, "A stiffer front spring reduces roll at the front."),
    ("traction_roll",    "so_f",     UP,   2, "Thicker front shock oil slows the roll so the car stays flatter."),
    ("traction_roll",    "c_f",      DOWN, 2, "More negative front camber lets the tyre give way a little earlier."),
    ("traction_roll",    "st_r",     DOWN, 2, "Standing the rear shocks up reduces rear roll."),

    ("nervous_on_high_grip", "toe_o",    DOWN, 6, "Less toe-out calms the steering on a grippy track."),
    ("nervous_on_high_grip", "compound", UP,   5, "A harder compound takes the edge off the grip."),
    ("nervous_on_high_grip", "sb_f",     UP,   4, "A thicker front bar makes the front less aggressive."),
    ("nervous_on_high_grip", "dc",       DOWN, 4, "A thinner centre diff makes the car smoother on power."),
    ("nervous_on_high_grip", "df",       UP,   3, "A thicker front diff softens the car's turn-in."),
    ("nervous_on_high_grip", "so_f",     UP,   3, "Thicker front shock oil slows the car's reactions."),
    ("nervous_on_high_grip", "dr",       UP,   3, "A thicker rear diff keeps the rear steady."),
    ("nervous_on_high_grip", "rh_f",     DOWN, 2, "A lower car feels steadier on high grip."),
    ("nervous_on_high_grip", "rh_r",     DOWN, 2, "A lower car feels steadier on high grip."),

    ("lazy_direction_change", "sb_f",  UP,   5, "A thicker front bar cuts roll, so the car changes direction sooner."),
    ("lazy_direction_change", "sb_r",  UP,   4, "A thicker rear bar cuts roll at the rear and makes the car more agile."),
    ("lazy_direction_change", "so_f",  UP,   3, "Thicker front shock oil slows the roll, so there is less to wait for between corners."),
    ("lazy_direction_change", "st_f",  DOWN, 3, "Standing the front shocks up gives a quicker, more direct response."),
    ("lazy_direction_change", "sp_f",  UP,   3, "A stiffer front spring makes the car react faster."),
    ("lazy_direction_change", "toe_o", UP,   2, "More toe-out quickens the car's turn-in."),
    ("lazy_direction_change", "rh_f",  DOWN, 2, "A lower car rolls less and reacts faster."),
    ("lazy_direction_change", "rh_r",  DOWN, 2, "A lower car rolls less and reacts faster."),

    ("unsettled_on_bumps", "so_f",  DOWN, 6, "Thinner front shock oil lets the front follow the bumps instead of skipping over them."),
    ("unsettled_on_bumps", "so_r",  DOWN, 6, "Thinner rear shock oil keeps the rear tyres on the ground over bumps."),
    ("unsettled_on_bumps", "p_f",   DOWN, 4, "Bigger piston holes free the front shocks on fast, sharp bumps."),
    ("unsettled_on_bumps", "p_r",   DOWN, 4, "Bigger piston holes free the rear shocks on fast, sharp bumps."),
    ("unsettled_on_bumps", "sp_f",  DOWN, 3, "A softer front spring soaks up bumps."),
    ("unsettled_on_bumps", "sp_r",  DOWN, 3, "A softer rear spring soaks up bumps."),
    ("unsettled_on_bumps", "sb_f",  DOWN, 2, "A thinner front bar lets each front wheel follow the ground on its own."),
    ("unsettled_on_bumps", "sb_r",  DOWN, 2, "A thinner rear bar lets each rear wheel follow the ground on its own."),
    ("unsettled_on_bumps", "rh_f",  UP,   2, "More front ride height keeps the chassis off the bumps."),
    ("unsettled_on_bumps", "rh_r",  UP,   2, "More rear ride height keeps the chassis off the bumps."),
    ("unsettled_on_bumps", "toe_o", DOWN, 2, "Less toe-out stops bumps from steering the car."),
    ("unsettled_on_bumps", "st_f",  UP,   2, "Laid-down front shocks soak up small bumps."),

    ("bottoms_out",      "p_f",   UP,   6, "Smaller piston holes add damping on big landings at the front."),
    ("bottoms_out",      "p_r",   UP,   6, "Smaller piston holes add damping on big landings at the rear."),
    ("bottoms_out",      "so_f",  UP,   5, "Thicker front shock oil resists the nose slamming down."),
    ("bottoms_out",      "so_r",  UP,   5, "Thicker rear shock oil resists the rear slamming down."),
    ("bottoms_out",      "rh_f",  UP,   4, "More front ride height gives the suspension more room before the chassis hits."),
    ("bottoms_out",      "rh_r",  UP,   4, "More rear ride height gives the suspension more room before the chassis hits."),
    ("bottoms_out",      "sp_f",  UP,   3, "A stiffer front spring holds the nose up on landings."),
    ("bottoms_out",      "sp_r",  UP,   3, "A stiffer rear spring holds the rear up on landings."),
    ("bottoms_out",      "st_f",  DOWN, 2, "Standing the front shocks up makes them stiffer through their stroke."),
    ("bottoms_out",      "st_r",  DOWN, 2, "Standing the rear shocks up makes them stiffer through their stroke."),

    ("bounces_on_landing", "so_r", UP,   6, "Thicker rear shock oil stops the rear rebounding on landing."),
    ("bounces_on_landing", "so_f", UP,   5, "Thicker front shock oil stops the front rebounding on landing."),
    ("bounces_on_landing", "p_r",  UP,   4, "Smaller rear piston holes damp the landing harder."),
    ("bounces_on_landing", "p_f",  UP,   3, "Smaller front piston holes damp the landing harder."),
    ("bounces_on_landing", "sp_r", DOWN, 3, "A softer rear spring stores less energy to throw the car back up."),
    ("bounces_on_landing", "sp_f", DOWN, 2, "A softer front spring stores less energy to throw the car back up."),

    ("nose_dives_off_jumps", "so_r", UP,   6, "Thicker rear shock oil stops the rear rebounding off the jump face and kicking the rear up."),
    ("nose_dives_off_jumps", "sp_r", DOWN, 4, "A softer rear spring kicks less off the jump face."),
    ("nose_dives_off_jumps", "dc",   UP,   3, "A thicker centre diff lets a touch of throttle lift the nose in the air."),
    ("nose_dives_off_jumps", "p_r",  UP,   3, "Smaller rear piston holes slow the rear's rebound off the face."),
    ("nose_dives_off_jumps", "rh_r", DOWN, 2, "A lower rear leaves less to rebound off the face."),

    ("lacks_acceleration", "bell",    DOWN, 7, "A smaller clutch bell gears the car shorter for more punch out of corners."),
    ("lacks_acceleration", "venturi", DOWN, 5, "A smaller venturi gives crisper throttle response at low revs."),
    ("lacks_acceleration", "clutch",  UP,   4, "A harder-engaging clutch gives a stronger hit out of corners."),
    ("lacks_acceleration", "dc",      UP,   3, "A thicker centre diff puts the power through all four wheels."),
    ("lacks_acceleration", "pipe",    DOWN, 3, "A pipe built for torque pulls harder from low revs."),

    ("lacks_top_speed",  "bell",    UP,   7, "A bigger clutch bell gears the car taller for more top speed."),
    ("lacks_top_speed",  "venturi", UP,   5, "A bigger venturi lets the engine make more power at high revs."),
    ("lacks_top_speed",  "pipe",    UP,   3, "A pipe built for top end gives more over-rev on the straight."),
]

# condition, symptom ("" = any), parameter, direction, boost (-5..5), note
BOOSTS = [
    ("high_grip", "traction_roll",       "compound", UP,   3, "On high grip the tyres bite harder and the car rolls more, so a harder compound comes first."),
    ("high_grip", "traction_roll",       "tread",    DOWN, 3, "On high grip, smaller pins put more rubber down without digging in."),
    ("high_grip", "traction_roll",       "sb_f",     UP,   1, "On high grip the car rolls more, so a thicker front bar matters more."),
    ("high_grip", "traction_roll",       "rh_f",     DOWN, 1, "On high grip every millimetre lower helps against rolling over."),
    ("high_grip", "traction_roll",       "rh_r",     DOWN, 1, "On high grip every millimetre lower helps against rolling over."),
    ("high_grip", "",                    "compound", DOWN, -3, "On high grip a softer compound adds to the risk of traction roll."),
    ("high_grip", "",                    "toe_o",    UP,   -2, "On high grip more toe-out makes the car twitchy."),
    ("low_grip",  "",                    "compound", DOWN, 3, "On a slippery track a softer compound is the biggest gain in grip."),
    ("low_grip",  "",                    "tread",    UP,   2, "On a loose, dusty track bigger pins dig in for grip."),
    ("low_grip",  "exit_oversteer",      "clutch",   DOWN, 2, "On a slippery track smooth power matters more than suspension."),
    ("low_grip",  "lacks_rear_traction", "clutch",   DOWN, 2, "On a slippery track smooth power matters more than suspension."),
    ("low_grip",  "",                    "compound", UP,   -3, "On a slippery track a harder compound would take away grip you need."),
    ("wet",       "",                    "tread",    UP,   3, "In the wet an open tread with bigger pins clears the mud."),
    ("wet",       "",                    "compound", DOWN, 2, "In the wet a softer compound finds grip on a cold, slippery surface."),
    ("rough",     "unsettled_on_bumps",  "so_f",     DOWN, 2, "On a rough track thinner oil keeps the front on the ground."),
    ("rough",     "unsettled_on_bumps",  "so_r",     DOWN, 2, "On a rough track thinner oil keeps the rear on the ground."),
    ("rough",     "",                    "rh_f",     DOWN, -2, "On a rough track a lower front bottoms out on the bumps."),
    ("rough",     "",                    "rh_r",     DOWN, -2, "On a rough track a lower rear bottoms out on the bumps."),
    ("hot",       "",                    "so_f",     UP,   1, "Heat thins shock oil, so a step thicker also gives back the damping the heat takes away."),
    ("hot",       "",                    "so_r",     UP,   1, "Heat thins shock oil, so a step thicker also gives back the damping the heat takes away."),
    ("hot",       "",                    "compound", UP,   2, "A hot track softens the rubber: a harder compound holds up better."),
    ("hot",       "",                    "bell",     UP,   -2, "In the heat taller gearing runs the engine hotter: check its temperature."),
    ("cold",      "",                    "compound", DOWN, 2, "A cold track needs a softer compound to get the tyres working."),
    ("cold",      "",                    "so_f",     DOWN, 1, "Cold thickens shock oil, so a step thinner also gives back the movement the cold takes away."),
    ("cold",      "",                    "so_r",     DOWN, 1, "Cold thickens shock oil, so a step thinner also gives back the movement the cold takes away."),
]
# fmt: on


def load(apps, schema_editor):
    from decimal import Decimal

    ParameterStep = apps.get_model("advisor", "ParameterStep")
    AdviceRule = apps.get_model("advisor", "AdviceRule")
    ConditionBoost = apps.get_model("advisor", "ConditionBoost")
    ParameterStep.objects.bulk_create(
        [
            ParameterStep(
                parameter=parameter,
                category=category,
                step=Decimal(step) if step else None,
                ladder=ladder,
                increase_words=increase,
                decrease_words=decrease,
            )
            for parameter, category, step, ladder, increase, decrease in STEPS
        ],
        ignore_conflicts=True,
    )
    AdviceRule.objects.bulk_create(
        [
            AdviceRule(
                symptom=symptom, parameter=parameter, direction=direction, weight=weight, reason=reason
            )
            for symptom, parameter, direction, weight, reason in RULES
        ],
        ignore_conflicts=True,
    )
    ConditionBoost.objects.bulk_create(
        [
            ConditionBoost(
                condition=condition,
                symptom=symptom,
                parameter=parameter,
                direction=direction,
                boost=boost,
                note=note,
            )
            for condition, symptom, parameter, direction, boost, note in BOOSTS
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    def any_of(rows, fields):
        query = Q(pk__in=[])
        for row in rows:
            query |= Q(**dict(zip(fields, row, strict=False)))
        return query

    apps.get_model("advisor", "ConditionBoost").objects.filter(
        any_of(BOOSTS, ["condition", "symptom", "parameter", "direction"])
    ).delete()
    apps.get_model("advisor", "AdviceRule").objects.filter(
        any_of(RULES, ["symptom", "parameter", "direction"])
    ).delete()
    apps.get_model("advisor", "ParameterStep").objects.filter(
        parameter__in=[row[0] for row in STEPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("advisor", "0002_theory_full_text_search")]

    operations = [migrations.RunPython(load, unload)]
