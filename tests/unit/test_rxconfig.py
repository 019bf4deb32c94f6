"""Client-settable state vars stay off whatever the environment says: REFLEX_STATE_AUTO_SETTERS=true
does not give any state a set_<var> handler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import rxconfig
import reflex as rx
from reflex_base.config import get_state_auto_setters
from brandifiers.state.campaigns import CampaignState
print(rxconfig.config.state_auto_setters, get_state_auto_setters(), hasattr(CampaignState, "set_campaign_id"))
"""


def test_the_environment_cannot_turn_auto_setters_on():
    env = {**os.environ, "REFLEX_STATE_AUTO_SETTERS": "true"}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-3:] == ["False", "False", "False"]
