"""The setup advisor, for race days and baselines: what to change for the handling a racer feels.

- ``SYMPTOMS``: symptom code → label (``entry_understeer``, ``traction_roll``, …).
- ``advise(*, setup, symptoms, conditions=None, racer=None) -> list[Suggestion]``,
  best first. Each ``Suggestion`` has ``parameter``, ``direction`` (+1/-1),
  ``new_value`` (one step, inside the parameter's range; None for text
  parameters, advised in words), ``reason``, ``sources`` (theory
  documents), ``tried`` and ``kept`` (this racer's history of that change
  for that symptom) and ``community`` (what library setups at the track run).

The rules, steps and condition boosts are data in the ``advisor`` app,
edited in the admin; the logic lives in ``advisor.advice``.
"""

from advisor.advice import Evidence, Suggestion, advise, condition_tags
from racing.symptoms import SYMPTOMS, Symptom

__all__ = ["SYMPTOMS", "Evidence", "Suggestion", "Symptom", "advise", "condition_tags"]
