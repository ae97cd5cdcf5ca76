"""Racing pages, one module per feature.

- ``garage``: vehicles, and the account's legacy CSV download
- ``baselines``: a vehicle's baseline versions (edit, history, diff, restore)
- ``race_days``: race days (start, changes, rounds, close, promote)
- ``track_log``: the racer's track log
- ``compare``: any two setups side by side
- ``access``: the ownership helpers every view goes through
"""
