"""What a racer feels on the track, in the words the advisor and race-day changes share."""

from django.db import models


class Symptom(models.TextChoices):
    ENTRY_UNDERSTEER = "entry_understeer", "Pushes wide into corners (entry understeer)"
    MID_UNDERSTEER = "mid_understeer", "Pushes wide mid-corner (mid understeer)"
    EXIT_UNDERSTEER = "exit_understeer", "Pushes wide on power (exit understeer)"
    ENTRY_OVERSTEER = "entry_oversteer", "Rear steps out into corners (entry oversteer)"
    MID_OVERSTEER = "mid_oversteer", "Rear steps out mid-corner (mid oversteer)"
    EXIT_OVERSTEER = "exit_oversteer", "Rear steps out on power (exit oversteer)"
    LACKS_REAR_TRACTION = "lacks_rear_traction", "Lacks rear traction on power (wheelspin)"
    TRACTION_ROLL = "traction_roll", "Traction rolls (tips over in corners)"
    NERVOUS_ON_HIGH_GRIP = "nervous_on_high_grip", "Nervous and twitchy on high grip"
    LAZY_DIRECTION_CHANGE = "lazy_direction_change", "Lazy in direction changes (chicanes)"
    UNSETTLED_ON_BUMPS = "unsettled_on_bumps", "Unsettled on bumps and ruts"
    BOTTOMS_OUT = "bottoms_out", "Bottoms out on big landings"
    BOUNCES_ON_LANDING = "bounces_on_landing", "Bounces or kicks on landings"
    NOSE_DIVES_OFF_JUMPS = "nose_dives_off_jumps", "Nose dives off jumps"
    LACKS_ACCELERATION = "lacks_acceleration", "Slow out of corners (lacks punch)"
    LACKS_TOP_SPEED = "lacks_top_speed", "Lacks top speed on the straight"


SYMPTOMS: dict[str, str] = dict(Symptom.choices)
